--[[
quarto.lua: the Quarto constructs tracebrief briefs use, for plain pandoc.

The built-in render engine (briefs/render.py) runs pandoc with this filter
when no Quarto is installed. It covers only the syntax briefs emit, so that
the same .qmd renders alike under real Quarto and under pandoc:

  * front matter: Quarto's `format:` map is removed; the keys under the
    current output format (`format.html`, `format.typst`) are lifted to the
    top level when not set there (e.g. `papersize: us-letter` for Typst);
  * figures `![caption](charts/x.svg){#fig-x}` and pipe tables captioned
    `: caption {#tbl-x}` are numbered in document order and their captions
    get a "Figure N: " / "Table N: " prefix, as Quarto writes them;
  * cross-references `@fig-x`, `@tbl-x` (also `[@fig-x]`, `-@fig-x`)
    become links reading "Figure N" / "Table N"; an unknown id (or any
    citation when the brief has no bibliography) renders as "?@id" with a
    warning, as Quarto does;
  * callouts `::: {.callout-note}` (warning, important, tip, caution) with
    an optional `##` title (or a title="..." attribute) become a styled box:
    an HTML div with CSS added to the header, or a Typst #block;
  * a local image whose file does not exist stops the render, because
    pandoc would otherwise only warn and write a broken page;
  * `include-in-header: {text: ...}` under a format becomes a raw header
    snippet of that format (Quarto's option; pandoc only knows the flag);
  * `fig-alt="..."` becomes the image's alt text, as Quarto writes it;
  * `format-links` with `{text, href}` entries (Quarto's "Other Formats")
    becomes a line of links at the top of the HTML;
  * divs `.brief-meta` (the series line) and `.table-note` (a table's
    source note) print small and grey in Typst; the HTML styles them with
    the CSS the brief includes in its header.

Numbering is done here, for both outputs, rather than by Typst, so that the
HTML and the PDF of one brief always agree on every "Figure N".
]]

local KINDS = { fig = "Figure", tbl = "Table" }

-- Colours follow Quarto's default callout palette (accent, background).
local CALLOUTS = {
  note = { "#0d6efd", "#e7f1ff", "Note" },
  warning = { "#ffc107", "#fff8e1", "Warning" },
  important = { "#dc3545", "#fdecee", "Important" },
  tip = { "#198754", "#e8f5ee", "Tip" },
  caution = { "#fd7e14", "#fff1e6", "Caution" },
}

local CSS = [[
<style>
.callout { margin: 1em 0; padding: 0.6em 1em; border-left: 4px solid var(--callout-accent);
  border-radius: 4px; background: var(--callout-bg); }
.callout-title { font-weight: bold; margin-bottom: 0.3em; }
.callout-body > :first-child { margin-top: 0; }
.callout-body > :last-child { margin-bottom: 0; }
]]
-- A fixed order (not pairs(), whose order varies run to run) keeps the HTML
-- byte-identical across renders.
for _, kind in ipairs({ "note", "warning", "important", "tip", "caution" }) do
  local colours = CALLOUTS[kind]
  CSS = CSS .. string.format(".callout-%s { --callout-accent: %s; --callout-bg: %s; }\n",
    kind, colours[1], colours[2])
end
CSS = CSS .. "figure { margin: 1.5em 0; }\nfigure img { max-width: 100%; }\n"
  .. ".format-links { float: right; font-size: 0.85em; }\n"
  .. ".table-note { font-size: 0.85em; color: #555555; }\n"
  .. ".tb-quote { font-size: 0.92em; }\n</style>"

-- Figures are numbered by this filter; Typst must not add its own numbers.
local TYPST_HEADER = "#set figure(numbering: none)"

local function is_typst()
  return FORMAT:match("typst") ~= nil
end

local function is_html()
  return FORMAT:match("html") ~= nil
end

--- The crossref kind of an identifier ("fig", "tbl") or nil.
local function kind_of(id)
  local prefix = id:match("^(%a+)%-")
  if prefix and KINDS[prefix] then
    return prefix
  end
  return nil
end

-- Front matter ---------------------------------------------------------------

local function format_key()
  if is_typst() then
    return "typst"
  elseif is_html() then
    return "html"
  end
  return FORMAT
end

--- Append one raw header snippet to header-includes, keeping any the author set.
local function add_header(meta, raw)
  local existing = meta["header-includes"]
  local list = pandoc.List()
  if existing ~= nil then
    if pandoc.utils.type(existing) == "List" then
      list = existing
    else
      list:insert(existing)
    end
  end
  list:insert(pandoc.MetaBlocks({ raw }))
  meta["header-includes"] = list
end

--- The source text of a metadata string, which pandoc has read as markdown:
--- line breaks and straight quotes come back as they were written.
local function raw_text(value)
  if pandoc.utils.type(value) == "string" then
    return value
  end
  local parts = {}
  local function add(inlines)
    for _, el in ipairs(inlines) do
      if el.t == "Str" then
        table.insert(parts, el.text)
      elseif el.t == "Space" then
        table.insert(parts, " ")
      elseif el.t == "SoftBreak" or el.t == "LineBreak" then
        table.insert(parts, "\n")
      elseif el.t == "Quoted" then
        local q = el.quotetype == "DoubleQuote" and '"' or "'"
        table.insert(parts, q)
        add(el.content)
        table.insert(parts, q)
      elseif el.t == "RawInline" or el.t == "Code" then
        table.insert(parts, el.text)
      elseif el.content ~= nil then
        add(el.content)
      end
    end
  end
  local blocks = pandoc.utils.type(value) == "Inlines" and { pandoc.Plain(value) } or value
  for i, block in ipairs(blocks) do
    if i > 1 then
      table.insert(parts, "\n")
    end
    if block.t == "RawBlock" then
      table.insert(parts, block.text)
    elseif block.content ~= nil then
      add(block.content)
    end
  end
  return table.concat(parts)
end

--- Quarto's include-in-header (a {text: ...} entry or a list of them) as raw headers.
local function include_in_header(meta, value)
  local entries = value
  if pandoc.utils.type(value) ~= "List" then
    entries = pandoc.List({ value })
  end
  local raw_format = is_typst() and "typst" or "html"
  for _, entry in ipairs(entries) do
    if pandoc.utils.type(entry) == "table" and entry.text ~= nil then
      add_header(meta, pandoc.RawBlock(raw_format, raw_text(entry.text)))
    end
  end
end

local function lift_format_options(meta)
  local formats = meta.format
  meta.format = nil
  if formats == nil or pandoc.utils.type(formats) ~= "table" then
    return
  end
  local options = formats[format_key()]
  if options == nil or pandoc.utils.type(options) ~= "table" then
    return
  end
  -- Sorted keys: pairs() order varies, and header order must not.
  local keys = {}
  for key, _ in pairs(options) do
    table.insert(keys, key)
  end
  table.sort(keys)
  for _, key in ipairs(keys) do
    local value = options[key]
    if key == "include-in-header" then
      include_in_header(meta, value)
    elseif meta[key] == nil then
      meta[key] = value
    end
  end
end

local function Meta(meta)
  lift_format_options(meta)
  if is_html() then
    add_header(meta, pandoc.RawBlock("html", CSS))
    -- pandoc's HTML writer warns without a title; Quarto uses the file name.
    if meta.title == nil and meta.pagetitle == nil then
      local input = PANDOC_STATE.input_files[1] or "brief"
      meta.pagetitle = input:gsub("^.*/", ""):gsub("%.[^.]*$", "")
    end
  elseif is_typst() then
    add_header(meta, pandoc.RawBlock("typst", TYPST_HEADER))
  end
  return meta
end

-- Numbering ------------------------------------------------------------------

--- Number every fig-/tbl- figure and table in document order: id -> number.
local function collect(doc)
  local numbers, counts = {}, { fig = 0, tbl = 0 }
  local function count(el)
    local kind = kind_of(el.identifier)
    if kind and numbers[el.identifier] == nil then
      counts[kind] = counts[kind] + 1
      numbers[el.identifier] = counts[kind]
    end
  end
  doc:walk({ Figure = count, Table = count })
  return numbers
end

--- The caption with "Figure N: " in front (a new Caption; the old one is kept intact).
local function prefixed(caption, label)
  local long = caption.long
  local lead = pandoc.Inlines({ pandoc.Str(label .. ":"), pandoc.Space() })
  if #long > 0 and (long[1].t == "Plain" or long[1].t == "Para") then
    long[1].content = lead .. long[1].content
  else
    long:insert(1, pandoc.Plain(lead))
  end
  caption.long = long
  return caption
end

local function label_of(id, number)
  return KINDS[kind_of(id)] .. "\u{a0}" .. tostring(number)
end

local function number_captions(numbers)
  local function caption(el)
    local n = numbers[el.identifier]
    if n then
      el.caption = prefixed(el.caption, label_of(el.identifier, n))
      return el
    end
  end
  return { Figure = caption, Table = caption }
end

-- Cross-references -------------------------------------------------------------

local function reference(citation, numbers)
  local id = citation.id
  local n = numbers[id]
  if n == nil then
    io.stderr:write("[WARNING] quarto.lua: unresolved reference @" .. id .. "\n")
    return pandoc.Inlines({ pandoc.Strong({ pandoc.Str("?@" .. id) }) })
  end
  local text = label_of(id, n)
  if citation.mode == "SuppressAuthor" then
    text = tostring(n) -- Quarto's -@fig-x drops the "Figure" prefix.
  end
  local link = pandoc.Link({ pandoc.Str(text) }, "#" .. id, "", { class = "quarto-xref" })
  local out = pandoc.Inlines({})
  if #citation.prefix > 0 then
    out:extend(citation.prefix)
    out:insert(pandoc.Space())
  end
  out:insert(link)
  out:extend(citation.suffix)
  return out
end

--- Cross-references to links. Other citations are left to citeproc when the
--- brief has a bibliography; without one they render as "?@id" (as Quarto does)
--- rather than reach Typst, which rejects a citation with no bibliography.
local function resolve_refs(numbers, has_bibliography)
  return {
    Cite = function(cite)
      for _, citation in ipairs(cite.citations) do
        if kind_of(citation.id) == nil and has_bibliography then
          return nil
        end
      end
      local out = pandoc.Inlines({})
      for i, citation in ipairs(cite.citations) do
        if i > 1 then
          out:extend({ pandoc.Str(","), pandoc.Space() })
        end
        out:extend(reference(citation, numbers))
      end
      return out
    end,
  }
end

-- Other formats, series line, table notes, alt text ---------------------------------

--- The "Other formats" line of the HTML, from format-links {text, href} entries.
local function format_links(meta)
  local links = meta["format-links"]
  meta["format-links"] = nil
  if not is_html() or links == nil or pandoc.utils.type(links) ~= "List" then
    return nil
  end
  local inlines = pandoc.Inlines({ pandoc.Str("Other"), pandoc.Space(), pandoc.Str("formats:") })
  for _, link in ipairs(links) do
    if pandoc.utils.type(link) == "table" and link.href ~= nil then
      local text = pandoc.utils.stringify(link.text or link.href)
      inlines:extend({ pandoc.Space(), pandoc.Link(text, pandoc.utils.stringify(link.href)) })
    end
  end
  return pandoc.Div({ pandoc.Plain(inlines) }, { class = "format-links" })
end

-- class -> Typst text size and alignment
local SMALL = { ["brief-meta"] = { "9.5pt", "center" }, ["table-note"] = { "8.5pt", "left" } }

local function small_div(div)
  for class, style in pairs(SMALL) do
    if div.classes:includes(class) and is_typst() then
      local open = string.format('#block(width: 100%%, above: 0.6em, below: 1.2em)[#set text(size: %s, '
        .. 'fill: rgb("#555555")); #set align(%s); ', style[1], style[2])
      local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", open) })
      blocks:extend(div.content)
      blocks:insert(pandoc.RawBlock("typst", "]"))
      return blocks
    end
  end
  return nil
end

--- fig-alt on a figure's image becomes its alt text (pandoc uses the caption).
local function Figure(fig)
  fig = fig:walk({
    Image = function(img)
      local alt = img.attributes["fig-alt"] or fig.attributes["fig-alt"]
      if alt ~= nil then
        img.attributes["fig-alt"] = nil
        img.caption = pandoc.Inlines({ pandoc.Str(alt) })
        return img
      end
    end,
  })
  fig.attributes["fig-alt"] = nil
  return fig
end

-- Callouts -----------------------------------------------------------------------

local function callout_kind(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and CALLOUTS[kind] then
      return kind
    end
  end
  return nil
end

--- The callout's title inlines and its body blocks (a leading header is the title).
local function split_title(div, kind)
  local body = div.content:clone()
  local title = div.attributes.title
  if title ~= nil then
    return pandoc.Inlines(pandoc.read(title, "markdown").blocks[1].content), body
  end
  if #body > 0 and body[1].t == "Header" then
    return body:remove(1).content, body
  end
  return pandoc.Inlines({ pandoc.Str(CALLOUTS[kind][3]) }), body
end

local function html_callout(div, kind, title, body)
  local classes = pandoc.List({ "callout", "callout-" .. kind })
  local attr = pandoc.Attr(div.identifier, classes)
  return pandoc.Div({
    pandoc.Div({ pandoc.Plain(title) }, { class = "callout-title" }),
    pandoc.Div(body, { class = "callout-body" }),
  }, attr)
end

local function typst_callout(kind, title, body)
  local accent, background = CALLOUTS[kind][1], CALLOUTS[kind][2]
  local open = string.format(
    '#block(width: 100%%, fill: rgb("%s"), stroke: (left: 3pt + rgb("%s")), '
      .. "inset: 8pt, radius: 4pt, breakable: true)[",
    background, accent)
  local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", open), pandoc.Para({ pandoc.Strong(title) }) })
  blocks:extend(body)
  blocks:insert(pandoc.RawBlock("typst", "]"))
  return blocks
end

local function Div(div)
  local kind = callout_kind(div)
  if kind == nil then
    return small_div(div)
  end
  local title, body = split_title(div, kind)
  if is_typst() then
    return typst_callout(kind, title, body)
  end
  return html_callout(div, kind, title, body)
end

-- Images -------------------------------------------------------------------------

local function Image(img)
  local src = img.src
  if src:match("^%a[%w+.-]*:") or src:match("^/") then
    return nil -- URLs and absolute paths are pandoc's and Typst's business.
  end
  local handle = io.open(src, "rb")
  if handle == nil then
    error("image not found: " .. src .. " (paths are relative to the brief folder)")
  end
  handle:close()
  return nil
end

-- Verbatim text -------------------------------------------------------------------

--- Typst turns "..." into an ellipsis even where pandoc's markdown reader left
--- the dots alone (the brief escapes them in quotes): escape them for Typst.
local function Str(el)
  if is_typst() and el.text:find("%.%.%.") then
    local escaped = el.text:gsub("[\\#$*_`<>@%[%]~\"'/=-]", "\\%0")
    return pandoc.RawInline("typst", (escaped:gsub("%.", "\\.")))
  end
  return nil
end

--- A quote in a footnote (`[“…”]{.tb-quote}`) is set a little smaller.
local function Span(el)
  if el.classes:includes("tb-quote") and is_typst() then
    local out = pandoc.Inlines({ pandoc.RawInline("typst", "#text(size: 0.92em)[") })
    out:extend(el.content)
    out:insert(pandoc.RawInline("typst", "]"))
    return out
  end
  return nil
end

-- Driver ----------------------------------------------------------------------------

function Pandoc(doc)
  doc.meta = Meta(doc.meta)
  local links = format_links(doc.meta)
  if links ~= nil then
    doc.blocks:insert(1, links)
  end
  doc = doc:walk({ Image = Image })
  doc = doc:walk({ Figure = Figure })
  local numbers = collect(doc)
  doc = doc:walk(number_captions(numbers))
  local has_bibliography = doc.meta.bibliography ~= nil or doc.meta.references ~= nil
  doc = doc:walk(resolve_refs(numbers, has_bibliography))
  doc = doc:walk({ Div = Div })
  doc = doc:walk({ Str = Str, Span = Span })
  return doc
end
