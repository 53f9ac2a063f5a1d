-- lualatex's initialization script (`--lua=`), run before the format and before any
-- document code: it narrows what `\directlua` can reach, since `--safer` would also break
-- luaotfload (fontspec's font loader).
--
-- After it: files open for reading only under the TeX and font trees, the font cache and
-- the job's directory; for writing only in the job's directory; no commands, no C modules,
-- no MetaPost (its `readfrom` opens files from C), no debug access to the wrapped originals,
-- no bytecode from the job's directory. The job's directory is the current directory
-- (sandbox.py starts TeX there, and nothing here can change it); the font cache is TEXMFVAR.

local RT_JOB_DIR = lfs.currentdir()
local RT_CACHE_DIR = os.getenv("TEXMFVAR") or RT_JOB_DIR

local function refuse(what)
  return function()
    return nil, what .. " is disabled in resume-tailor's TeX sandbox"
  end
end

local find, gsub, sub = string.find, string.gsub, string.sub

local function strip_slash(path)
  return (gsub(path, "/+$", ""))
end

-- Read roots: the TeX trees kpathsea knows, the system font trees fontconfig lists, the
-- font cache (read only: it was warmed in a setup step), the job's directory.
-- (kpathsea is not ready yet when this runs: sandbox.py passes the TeX trees it found.)
local read_roots, write_roots = {}, { strip_slash(RT_JOB_DIR) }
for root in string.gmatch(os.getenv("RT_LUA_READ_ROOTS") or "", "[^:]+") do
  if sub(root, 1, 1) == "/" then
    read_roots[#read_roots + 1] = strip_slash(root)
  end
end
for _, root in ipairs({ "/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts",
                        "/usr/share/texlive", "/usr/share/texmf", "/etc/texmf",
                        "/var/lib/texmf", strip_slash(RT_CACHE_DIR),
                        strip_slash(RT_JOB_DIR) }) do
  read_roots[#read_roots + 1] = root
end

-- An absolute path with no `..` segment; relative paths are inside the job's directory
-- (the current directory, which no code here can change).
local function absolute(path)
  if type(path) ~= "string" or path == "" or find(path, "%z") then
    return nil
  end
  if find("/" .. path .. "/", "/%.%./", 1, false) then
    return nil
  end
  if sub(path, 1, 1) ~= "/" then
    path = RT_JOB_DIR .. "/" .. path
  end
  return path
end

local function under(path, roots)
  path = absolute(path)
  if not path then
    return false
  end
  for _, root in ipairs(roots) do
    if path == root or sub(path, 1, #root + 1) == root .. "/" then
      return true
    end
  end
  return false
end

local function readable(path) return under(path, read_roots) end
local function writable(path) return under(path, write_roots) end
local function in_job(path) return under(path, { strip_slash(RT_JOB_DIR) }) end

local function denied(path)
  return nil, tostring(path) .. ": Permission denied (resume-tailor's TeX sandbox)"
end

-- io --------------------------------------------------------------------------------------
local io_open, io_lines, io_input, io_output = io.open, io.lines, io.input, io.output

io.open = function(path, mode)
  mode = mode or "r"
  local writes = find(mode, "[wa+]") ~= nil
  if (writes and not writable(path)) or (not writes and not readable(path)) then
    return denied(path)
  end
  return io_open(path, mode)
end
io.lines = function(path, ...)
  if path ~= nil and not readable(path) then
    error(select(2, denied(path)), 2)
  end
  return io_lines(path, ...)
end
io.input = function(file)
  if type(file) == "string" and not readable(file) then
    error(select(2, denied(file)), 2)
  end
  return io_input(file)
end
io.output = function(file)
  if type(file) == "string" and not writable(file) then
    error(select(2, denied(file)), 2)
  end
  return io_output(file)
end
io.popen = refuse("io.popen")

-- os --------------------------------------------------------------------------------------
local os_remove, os_rename = os.remove, os.rename
os.remove = function(path)
  if not writable(path) then return denied(path) end
  return os_remove(path)
end
os.rename = function(from, to)
  if not writable(from) then return denied(from) end
  if not writable(to) then return denied(to) end
  return os_rename(from, to)
end
for _, name in ipairs({ "execute", "exec", "spawn", "kpsepopen", "tmpname", "tmpdir",
                        "setenv" }) do
  if os[name] then
    os[name] = refuse("os." .. name)
  end
end

-- lfs -------------------------------------------------------------------------------------
if lfs then
  local lfs_mkdir, lfs_rmdir, lfs_touch, lfs_dir = lfs.mkdir, lfs.rmdir, lfs.touch, lfs.dir
  lfs.mkdir = function(path, ...)
    if not writable(path) then return denied(path) end
    return lfs_mkdir(path, ...)
  end
  lfs.rmdir = function(path)
    if not writable(path) then return denied(path) end
    return lfs_rmdir(path)
  end
  lfs.touch = function(path, ...)
    if not writable(path) then return denied(path) end
    return lfs_touch(path, ...)
  end
  lfs.dir = function(path)
    if not readable(path) then error(select(2, denied(path)), 2) end
    return lfs_dir(path)
  end
  -- a link in the job's directory could point anywhere; chdir would move "relative"
  for _, name in ipairs({ "link", "chdir", "setmode", "lock_dir" }) do
    if lfs[name] then
      lfs[name] = refuse("lfs." .. name)
    end
  end
end

-- loading code ----------------------------------------------------------------------------
local lua_load, lua_loadfile, string_dump = load, loadfile, string.dump
-- Crafted bytecode can break out of Lua's own safety, so binary chunks load only from the
-- read-only trees (luaotfload's cache files are bytecode) or when string.dump made them
-- here (lualibs loads its formatters that way): never bytes from the job's directory or
-- from a string a document built.
local dumped = {}
string.dump = function(...)
  local bytes = string_dump(...)
  dumped[bytes] = true
  return bytes
end
-- (an `env` passed as nil would become the chunk's _ENV: pass it only when given)
load = function(chunk, name, mode, ...)
  if not (type(chunk) == "string" and dumped[chunk]) then
    mode = "t"
  end
  return lua_load(chunk, name, mode, ...)
end
loadfile = function(path, mode, ...)
  if path == nil or not readable(path) then
    return denied(path)
  end
  if in_job(path) then
    mode = "t"
  end
  return lua_loadfile(path, mode, ...)
end
dofile = function(path)
  local f, err = loadfile(path)
  if not f then
    error(err, 2)
  end
  return f()
end

package.loadlib = nil
package.cpath = ""
-- keep the preload and Lua-file searchers; drop the C-library ones
for i = #package.searchers, 3, -1 do
  table.remove(package.searchers, i)
end
package.preload.socket, package.preload["socket.core"] = nil, nil

-- C code that opens files by name ---------------------------------------------------------
mplib, package.loaded.mplib = nil, nil -- MetaPost's readfrom reads files from C
local function filename_of(spec)
  local ok, name = pcall(function() return spec.filename end)
  return ok and name or nil
end
-- pdf.obj{file = name} or pdf.obj([n,] "file"/"streamfile", name, ...) embed a file
local function refused_object_file(...)
  for i = 1, select("#", ...) do
    local arg = select(i, ...)
    if type(arg) == "table" and arg.file ~= nil and not readable(arg.file) then
      return tostring(arg.file)
    end
    if (arg == "file" or arg == "streamfile") and not readable(select(i + 1, ...)) then
      return tostring(select(i + 1, ...))
    end
  end
  return nil
end
if pdf then
  for _, name in ipairs({ "obj", "immediateobj" }) do
    local call = pdf[name]
    if call then
      pdf[name] = function(...)
        local path = refused_object_file(...)
        if path then error(select(2, denied(path)), 2) end
        return call(...)
      end
    end
  end
end
-- an image's file name can be set on the object after img.new, so every img function
-- checks the object it is given
if img then
  for name, call in pairs(img) do
    if type(call) == "function" then
      img[name] = function(spec, ...)
        local path = spec ~= nil and filename_of(spec) or nil
        if path ~= nil and not readable(path) then error(select(2, denied(path)), 2) end
        return call(spec, ...)
      end
    end
  end
end
if pdfe and pdfe.open then
  local pdfe_open = pdfe.open
  pdfe.open = function(path, ...)
    if not readable(path) then error(select(2, denied(path)), 2) end
    return pdfe_open(path, ...)
  end
end
if fontloader and fontloader.open then
  local fontloader_open = fontloader.open
  fontloader.open = function(path, ...)
    if not readable(path) then error(select(2, denied(path)), 2) end
    return fontloader_open(path, ...)
  end
end

-- debug: the originals above live in upvalues, which debug could reach -------------------
if debug then
  local keep = { traceback = debug.traceback, getinfo = debug.getinfo }
  debug = keep
  package.loaded.debug = keep
end
