-- Neovim's own LSP client against `productdocs lsp`, run headless by
-- TestNeovim: open a story, break its traces, read the diagnostic, apply
-- the quick fix, rename an ID. Written for Neovim 0.7 and later (Debian's),
-- so it starts the client with vim.lsp.start_client rather than 0.11's
-- vim.lsp.config. Each step appends a line to $PD_OUT; an assertion that
-- fails ends with the error there and exit status 1.
local bin, root, out = os.getenv('PD_BIN'), os.getenv('PD_SITE'), os.getenv('PD_OUT')
local lines = {}
local function say(s) table.insert(lines, s) end
local function finish(code)
  local f = assert(io.open(out, 'w'))
  f:write(table.concat(lines, '\n') .. '\n')
  f:close()
  vim.cmd(code == 0 and 'qall!' or 'cquit! ' .. code)
end

local ok, err = pcall(function()
  local id = vim.lsp.start_client({
    name = 'productdocs',
    cmd = { bin, 'lsp' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'site' } },
    init_options = { debounceMs = 50 },
  })
  assert(id, 'the client did not start')
  vim.cmd('edit ' .. root .. '/content/backlog/stories/story-1.md')
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)
  assert(vim.wait(10000, function()
    return client.server_capabilities ~= nil and client.server_capabilities.renameProvider ~= nil
  end), 'the server did not initialize')
  say('initialized: ' .. client.name)

  local function diagnostics(code)
    local found
    vim.wait(10000, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if d.code == code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code == code) then
          found = d
          return true
        end
      end
      return false
    end, 20)
    return found
  end

  -- Break the traces: line 5 reads "traces: EPIC-1".
  vim.api.nvim_buf_set_lines(buf, 4, 5, false, { 'traces: EPIC-9' })
  local d = assert(diagnostics('broken-link'), 'no broken-link diagnostic for traces: EPIC-9')
  say(string.format('diagnostic %d:%d-%d: %s', d.lnum, d.col, d.end_col, d.message))

  -- The quick fix.
  local uri = vim.uri_from_bufnr(buf)
  local res = client.request_sync('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = { line = 4, character = 9 }, ['end'] = { line = 4, character = 9 } },
    context = { diagnostics = {} },
  }, 5000, buf)
  assert(res and res.result and res.result[1], 'no code action: ' .. vim.inspect(res))
  local action = res.result[1]
  say('quick fix: ' .. action.title)
  vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
  say('line 5: ' .. vim.api.nvim_buf_get_lines(buf, 4, 5, false)[1])
  assert(vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 20), 'the diagnostic stayed after the fix')
  say('diagnostics: none')

  -- Rename EPIC-1 from the traces value, across the site.
  local r = client.request_sync('textDocument/rename', {
    textDocument = { uri = uri }, position = { line = 4, character = 10 }, newName = 'EPIC-100',
  }, 5000, buf)
  assert(r and r.result, 'rename failed: ' .. vim.inspect(r))
  vim.lsp.util.apply_workspace_edit(r.result, 'utf-16')
  vim.cmd('silent wall')
  say('line 5: ' .. vim.api.nvim_buf_get_lines(buf, 4, 5, false)[1])
  for _, l in ipairs(vim.fn.readfile(root .. '/content/backlog/epics/epic-1.md')) do
    if l:match('^id:') then say('epic-1.md: ' .. l) end
  end
  -- The other files were saved (:wall), not edited in the client: the
  -- server sees them change on disk, and the story's trace mends.
  vim.wait(500)
  assert(vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 20),
    'after the rename: ' .. vim.inspect(vim.diagnostic.get(buf)))
  say('diagnostics after the rename: none')
  -- A taken ID is refused.
  local taken = client.request_sync('textDocument/rename', {
    textDocument = { uri = uri }, position = { line = 4, character = 10 }, newName = 'EPIC-2',
  }, 5000, buf)
  say('rename to EPIC-2: ' .. ((taken and taken.err and taken.err.message) or vim.inspect(taken)))
end)
if not ok then
  say('error: ' .. tostring(err))
  finish(1)
else
  finish(0)
end
