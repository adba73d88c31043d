// The taskapi web UI: a single page with hash routes, talking to the proxy that served it. The proxy forwards
// /v1/... to its task socket with the token from the HttpOnly cookie; this script never sees the token.
'use strict';

const main = document.getElementById('main');
const errorBox = document.getElementById('error');
const nav = document.getElementById('nav');

/** An answer of 400 or more, with the API's own messages ({"errors":[...]}). */
class ApiError extends Error {
  constructor(status, messages, body) {
    super(messages.join('\n'));
    this.status = status;
    this.messages = messages;
    this.body = body;
  }
}

async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) {
    const messages = json && Array.isArray(json.errors) ? json.errors : [text || response.statusText];
    throw new ApiError(response.status, messages, json);
  }
  return { json, index: response.headers.get('X-Nomad-Index') };
}

/** Builds an element: el('a', {href: '#/x'}, 'text', child...). Text is always text, never HTML. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function table(headers, rows, caption) {
  return el('table', {},
    caption ? el('caption', { class: 'muted' }, caption) : null,
    el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map(cells => el('tr', {}, cells.map(c => el('td', {}, c))))));
}

function showError(error) {
  if (error instanceof ApiError) {
    errorBox.textContent = 'Error ' + error.status + ': ' + error.messages.join('\n');
  } else {
    errorBox.textContent = 'Error: ' + (error && error.message ? error.message : String(error));
  }
}

function clearError() { errorBox.textContent = ''; }

function page(title, ...content) {
  main.replaceChildren(el('h1', { id: 'page-title' }, title), ...content.flat(Infinity).filter(c => c != null));
  document.title = title + ' · taskapi';
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function shortId(id) { return id ? id.slice(0, 8) : ''; }

function time(value) {
  if (!value) return '';
  // Nomad's times: nanoseconds since the epoch (numbers) or RFC 3339 strings
  const date = typeof value === 'number' ? new Date(value / 1e6) : new Date(value);
  return isNaN(date.getTime()) ? String(value) : date.toISOString().replace('.000Z', 'Z');
}

function status(value) { return el('span', { class: 'status-' + value }, value); }

function enc(path) { return path.split('/').map(encodeURIComponent).join('/'); }

// ---- routes

const routes = [
  [/^\/login$/, loginPage],
  [/^\/nodes$/, nodesPage],
  [/^\/node\/([^/]+)$/, nodePage],
  [/^\/jobs$/, jobsPage],
  [/^\/job\/([^/]+)$/, jobPage],
  [/^\/vars$/, varsPage],
  [/^\/var-new$/, newVarPage],
  [/^\/var\/(.+)$/, varPage],
  [/^\/token$/, tokenPage],
];

function parseHash() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/nodes';
  const q = hash.indexOf('?');
  const path = q < 0 ? hash : hash.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
  return { path, params };
}

function go(path, params) {
  const query = params && [...params.keys()].length ? '?' + params.toString() : '';
  location.hash = '#' + path + query;
}

async function render() {
  clearError();
  const { path, params } = parseHash();
  for (const link of nav.querySelectorAll('a')) {
    const target = link.getAttribute('href').slice(1);
    if (path === target || path.startsWith(target.replace(/s$/, '') + '/')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const route = routes.find(([pattern]) => pattern.test(path));
  if (!route) {
    page('Not found', el('p', {}, 'There is no page ' + path + '. ', el('a', { href: '#/nodes' }, 'Nodes')));
    return;
  }
  const match = path.match(route[0]);
  try {
    await route[1](params, ...match.slice(1));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || isTokenRefused(error))) {
      loginPage(new URLSearchParams(), 'Please log in' + (error.status === 401 ? '.' : ': ' + error.messages[0]));
    } else {
      showError(error);
    }
  }
}

function isTokenRefused(error) {
  return error.status === 403 && error.messages.some(m => /token not found|expired|not valid/i.test(m));
}

// ---- login and logout

function loginPage(params, notice) {
  nav.hidden = true;
  if (!notice && params.get('out')) notice = 'You are logged out.';
  const tokenInput = el('input', { id: 'token-input', class: 'wide', type: 'password', autocomplete: 'off',
    required: true, spellcheck: 'false' });
  const methodInput = el('input', { id: 'method-input', class: 'wide', type: 'text', autocomplete: 'off',
    placeholder: 'the default method when empty' });
  const jwtInput = el('textarea', { id: 'jwt-input', rows: 4, required: true, spellcheck: 'false' });
  page('Log in',
    notice ? el('p', { id: 'login-notice' }, notice) : null,
    el('section', { class: 'panel', 'aria-labelledby': 'token-login' },
      el('h2', { id: 'token-login' }, 'With an ACL token'),
      el('form', { id: 'token-form', onsubmit: async event => {
        event.preventDefault();
        clearError();
        try {
          await api('POST', '/ui/login', { Token: tokenInput.value.trim() });
          tokenInput.value = '';
          afterLogin();
        } catch (error) { showError(error); }
      } },
        el('label', { for: 'token-input' }, 'Secret ID'),
        tokenInput,
        el('p', { class: 'muted' }, 'Checked with /v1/acl/token/self, then kept in an HttpOnly cookie.'),
        el('button', { type: 'submit', id: 'token-submit' }, 'Log in'))),
    el('section', { class: 'panel', 'aria-labelledby': 'method-login' },
      el('h2', { id: 'method-login' }, 'Through an auth method'),
      el('form', { id: 'method-form', onsubmit: async event => {
        event.preventDefault();
        clearError();
        try {
          const body = { LoginToken: jwtInput.value.trim() };
          if (methodInput.value.trim()) body.AuthMethodName = methodInput.value.trim();
          await api('POST', '/v1/acl/login', body);
          jwtInput.value = '';
          afterLogin();
        } catch (error) { showError(error); }
      } },
        el('label', { for: 'method-input' }, 'Auth method'),
        methodInput,
        el('label', { for: 'jwt-input' }, 'Login token (JWT)'),
        jwtInput,
        el('div', {}, el('button', { type: 'submit', id: 'method-submit' }, 'Log in with the method')))));
}

function afterLogin() {
  nav.hidden = false;
  const { path } = parseHash();
  if (path === '/login') go('/nodes'); else render();
}

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await api('POST', '/ui/logout');
  } catch (error) { showError(error); return; }
  go('/login', new URLSearchParams({ out: '1' }));
});

// ---- nodes

async function nodesPage(params) {
  const filter = params.get('filter') || '';
  const query = filter ? '?filter=' + encodeURIComponent(filter) : '';
  const filterInput = el('input', { id: 'filter', class: 'wide', type: 'text', value: filter, spellcheck: 'false',
    placeholder: 'Meta.example == "Hello World!"' });
  const form = el('form', { class: 'row', id: 'filter-form', role: 'search', onsubmit: event => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (filterInput.value.trim()) next.set('filter', filterInput.value.trim());
    go('/nodes', next);
  } },
    el('div', {}, el('label', { for: 'filter' }, 'Filter (go-bexpr)'), filterInput),
    el('button', { type: 'submit' }, 'Apply filter'));
  page('Nodes', form, el('p', { class: 'muted' }, 'Loading…'));
  nav.hidden = false;
  const { json } = await api('GET', '/v1/nodes' + query);
  // A node list has no metadata: each node's is asked for (a node agent knows few nodes).
  const metas = await Promise.all(json.map(node => api('GET', '/v1/client/metadata?node_id='
    + encodeURIComponent(node.ID)).then(r => r.json.Meta || {}, () => null)));
  const rows = json.map((node, i) => [
    el('a', { href: '#/node/' + encodeURIComponent(node.ID), class: 'mono' }, shortId(node.ID)),
    node.Name, node.Datacenter, node.NodePool, status(node.Status), node.SchedulingEligibility,
    metas[i] === null ? el('span', { class: 'muted' }, 'not readable')
      : el('ul', { class: 'meta' }, Object.entries(metas[i]).sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => el('li', {}, el('code', {}, k), ' = ', v))),
  ]);
  main.replaceChildren(main.firstChild, form, json.length
    ? table(['ID', 'Name', 'Datacenter', 'Node pool', 'Status', 'Eligibility', 'Metadata'], rows)
    : el('p', { id: 'no-nodes' }, filter ? 'No nodes match the filter.' : 'No nodes.'));
}

async function nodePage(params, id) {
  nav.hidden = false;
  const [{ json: node }, { json: metadata }] = await Promise.all([
    api('GET', '/v1/node/' + encodeURIComponent(id)),
    api('GET', '/v1/client/metadata?node_id=' + encodeURIComponent(id)),
  ]);
  const meta = Object.entries(metadata.Meta || {}).sort(([a], [b]) => a.localeCompare(b));
  const dynamic = metadata.Dynamic || {};
  const attributes = Object.entries(node.Attributes || {}).sort(([a], [b]) => a.localeCompare(b));
  page('Node ' + node.Name,
    el('p', {}, el('span', { class: 'mono' }, node.ID), ' · ', status(node.Status), ' · ', node.Datacenter),
    el('h2', {}, 'Metadata'),
    table(['Key', 'Value', 'Source'], meta.map(([k, v]) => [el('code', {}, k), v,
      Object.prototype.hasOwnProperty.call(dynamic, k) ? 'dynamic' : 'static']), 'Meta (dynamic over static)'),
    el('h2', {}, 'Attributes'),
    table(['Attribute', 'Value'], attributes.map(([k, v]) => [el('code', {}, k), v])));
}

// ---- jobs and allocations

async function jobsPage() {
  nav.hidden = false;
  const { json } = await api('GET', '/v1/jobs');
  page('Jobs', json.length
    ? table(['ID', 'Type', 'Namespace', 'Status'], json.map(job => [
      el('a', { href: '#/job/' + encodeURIComponent(job.ID) + (job.Namespace && job.Namespace !== 'default'
        ? '?namespace=' + encodeURIComponent(job.Namespace) : '') }, job.ID),
      job.Type, job.Namespace, status(job.Status)]))
    : el('p', {}, 'No jobs.'));
}

async function jobPage(params, id) {
  nav.hidden = false;
  const ns = '?namespace=' + encodeURIComponent(params.get('namespace') || 'default');
  const [{ json: job }, { json: stubs }] = await Promise.all([
    api('GET', '/v1/job/' + encodeURIComponent(id) + ns),
    api('GET', '/v1/job/' + encodeURIComponent(id) + '/allocations' + ns),
  ]);
  const allocs = await Promise.all(stubs.map(stub =>
    api('GET', '/v1/allocation/' + encodeURIComponent(stub.ID) + ns).then(r => r.json)));
  const sections = allocs.map(alloc => el('section', { class: 'panel alloc', 'aria-label': 'Allocation ' + alloc.ID },
    el('h2', {}, 'Allocation ', el('span', { class: 'mono' }, shortId(alloc.ID)), ' · ', status(alloc.ClientStatus)),
    Object.entries(alloc.TaskStates || {}).map(([task, state]) => el('div', { class: 'task' },
      el('h3', {}, 'Task ', el('code', {}, task), ': ', status(state.State),
        state.Failed ? ' (failed)' : '', state.ExitCode !== undefined && state.ExitCode !== null
          ? ' · exit code ' + state.ExitCode : ''),
      table(['Time', 'Type', 'Message'], (state.Events || []).map(event => [
        time(event.Time), event.Type, event.DisplayMessage || event.Message || '']), 'Events of ' + task)))));
  page('Job ' + job.ID,
    el('p', {}, job.Type, ' · ', status(job.Status), ' · namespace ', job.Namespace),
    sections.length ? sections : el('p', {}, 'No allocations.'));
}

// ---- variables

async function varsPage(params) {
  nav.hidden = false;
  const prefix = params.get('prefix') || '';
  const prefixInput = el('input', { id: 'prefix', class: 'wide', type: 'text', value: prefix, spellcheck: 'false',
    placeholder: 'nomad/jobs' });
  const form = el('form', { class: 'row', role: 'search', onsubmit: event => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (prefixInput.value.trim()) next.set('prefix', prefixInput.value.trim());
    go('/vars', next);
  } },
    el('div', {}, el('label', { for: 'prefix' }, 'Path prefix'), prefixInput),
    el('button', { type: 'submit' }, 'List'));
  const { json } = await api('GET', '/v1/vars' + (prefix ? '?prefix=' + encodeURIComponent(prefix) : ''));
  page('Variables', form, el('p', {}, el('a', { href: '#/var-new', id: 'new-var' }, 'Create a variable')),
    json.length ? table(['Path', 'Namespace', 'Modify index', 'Modified'], json.map(v => [
      el('a', { href: '#/var/' + enc(v.Path) }, v.Path), v.Namespace, String(v.ModifyIndex), time(v.ModifyTime)]))
      : el('p', {}, 'No variables' + (prefix ? ' under ' + prefix : '') + '.'));
}

function itemsEditor(items) {
  const body = el('tbody', {});
  const addRow = (key, value) => {
    const n = body.children.length + 1;
    const row = el('tr', {},
      el('td', {}, el('input', { class: 'item-key', 'aria-label': 'Key ' + n, value: key, spellcheck: 'false' })),
      el('td', {}, el('input', { class: 'item-value', 'aria-label': 'Value ' + n, value, spellcheck: 'false' })),
      el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () => row.remove() },
        'Remove item ' + n)));
    body.append(row);
  };
  Object.entries(items).forEach(([k, v]) => addRow(k, v));
  if (!body.children.length) addRow('', '');
  const editor = el('div', {},
    el('table', { class: 'items' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Key'),
      el('th', { scope: 'col' }, 'Value'), el('th', { scope: 'col' }, el('span', { class: 'muted' }, 'Remove')))),
    body),
    el('button', { type: 'button', class: 'secondary', onclick: () => addRow('', '') }, 'Add item'));
  editor.items = () => {
    const result = {};
    for (const row of body.children) {
      const key = row.querySelector('.item-key').value.trim();
      if (key) result[key] = row.querySelector('.item-value').value;
    }
    return result;
  };
  return editor;
}

async function newVarPage() {
  nav.hidden = false;
  const pathInput = el('input', { id: 'var-path', class: 'wide', type: 'text', required: true, spellcheck: 'false' });
  const editor = itemsEditor({});
  page('Create a variable', el('form', { onsubmit: async event => {
    event.preventDefault();
    clearError();
    try {
      const path = pathInput.value.trim();
      await api('PUT', '/v1/var/' + enc(path) + '?cas=0', { Items: editor.items() });
      go('/var/' + path);
    } catch (error) { showError(error); }
  } },
    el('label', { for: 'var-path' }, 'Path'), pathInput,
    el('h2', {}, 'Items'), editor,
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Create'))));
}

async function varPage(params, path) {
  nav.hidden = false;
  const { json: variable } = await api('GET', '/v1/var/' + enc(path));
  const editor = itemsEditor(variable.Items || {});
  const conflictBox = el('div', { id: 'conflict', 'aria-live': 'polite' });
  const save = async event => {
    event.preventDefault();
    clearError();
    conflictBox.replaceChildren();
    try {
      await api('PUT', '/v1/var/' + enc(path) + '?cas=' + variable.ModifyIndex, { Items: editor.items() });
      await varPage(params, path);
      document.getElementById('var-status').textContent = 'Saved.';
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        await showConflict(error, path, conflictBox, params);
      } else {
        showError(error);
      }
    }
  };
  const remove = async () => {
    clearError();
    try {
      await api('DELETE', '/v1/var/' + enc(path) + '?cas=' + variable.ModifyIndex);
      go('/vars');
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) await showConflict(error, path, conflictBox, params);
      else showError(error);
    }
  };
  page('Variable ' + path,
    el('p', { class: 'muted' }, 'Namespace ', variable.Namespace, ' · modify index ',
      el('span', { id: 'modify-index' }, String(variable.ModifyIndex)), ' · modified ', time(variable.ModifyTime)),
    el('p', { id: 'var-status', role: 'status' }),
    el('form', { id: 'var-form', onsubmit: save },
      el('h2', {}, 'Items'), editor,
      el('div', { class: 'actions' },
        el('button', { type: 'submit', id: 'var-save' }, 'Save (check-and-set at index ' + variable.ModifyIndex + ')'),
        el('button', { type: 'button', class: 'secondary', onclick: remove }, 'Delete'))),
    conflictBox);
}

/** A check-and-set conflict: the API's message, and the variable as it is now, to start again from. */
async function showConflict(error, path, box, params) {
  let current = null;
  try { current = (await api('GET', '/v1/var/' + enc(path))).json; } catch (e) { current = null; }
  box.replaceChildren(el('section', { class: 'panel conflict', 'aria-labelledby': 'conflict-title' },
    el('h2', { id: 'conflict-title' }, 'Conflict: the variable changed since you loaded it'),
    el('p', { class: 'conflict-message' }, error.messages.join('\n')),
    current ? [
      el('p', {}, 'Current value (modify index ', el('span', { id: 'current-index' }, String(current.ModifyIndex)),
        '):'),
      table(['Key', 'Value'], Object.entries(current.Items || {}).map(([k, v]) => [el('code', {}, k), v]))]
      : el('p', {}, 'The variable no longer exists.'),
    el('p', {}, 'Your changes were not saved. '),
    el('button', { type: 'button', id: 'reload-var', onclick: () => varPage(params, path).catch(showError) },
      'Load the current value')));
  box.querySelector('h2').setAttribute('tabindex', '-1');
  box.querySelector('h2').focus();
}

// ---- the token

async function tokenPage() {
  nav.hidden = false;
  const { json: token } = await api('GET', '/v1/acl/token/self');
  const policies = token.Policies || [];
  const roles = (token.Roles || []).map(r => r.Name || r.ID);
  const details = await Promise.all(policies.map(name => api('GET', '/v1/acl/policy/' + encodeURIComponent(name))
    .then(r => r.json, e => ({ Name: name, error: e.messages.join('; ') }))));
  page('Your token',
    table(['Field', 'Value'], [
      ['Name', token.Name || ''],
      ['Type', token.Type + (token.Type === 'management' ? ' (every permission)' : '')],
      ['Accessor ID', el('span', { class: 'mono' }, token.AccessorID || '')],
      ['Policies', policies.length ? policies.join(', ') : 'none'],
      ['Roles', roles.length ? roles.join(', ') : 'none'],
      ['Expires', token.ExpirationTime ? time(token.ExpirationTime) : 'never'],
    ]),
    details.map(policy => el('section', { class: 'panel policy' },
      el('h2', {}, 'Policy ', el('code', {}, policy.Name)),
      policy.error ? el('p', { class: 'muted' }, policy.error)
        : el('pre', { class: 'mono' }, policy.Rules || ''))));
}

window.addEventListener('hashchange', render);
render();
