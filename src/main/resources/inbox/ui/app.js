// Petrel inbox UI. Plain JavaScript over the inbox API (/api/v1) and its live events.
// Message content only ever reaches the page as text (textContent, attribute values), except the
// HTML view, which goes into a sandboxed srcdoc frame with its own no-remote-loads policy.
'use strict';

(() => {
  const API = '/api/v1';
  const PAGE_SIZE = 50;
  // The preview frame's own policy, on top of the page's: nothing may load from anywhere but data: URIs.
  const FRAME_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; " +
      "form-action 'none'; base-uri 'none'";
  const TABS = ['html', 'text', 'headers', 'raw', 'attachments', 'envelope', 'auth'];

  const state = {
    messages: [],        // summaries shown, newest first
    matching: 0,         // how many match the current search (or all)
    query: '',
    inbox: '',
    inboxes: new Set(),  // inbox names: those the store holds at load, plus any that arrive live
    selectedId: null,
    selected: null,      // the full message JSON of the selected message
    rawLoadedFor: null,
    counts: null,        // the last page answer, for the counts in the status line
    live: false,
  };

  const $ = (id) => document.getElementById(id);

  /** An element with text children (strings become text nodes, never markup). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'className') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  async function request(url, options) {
    const response = await fetch(url, options);
    if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);
    return response;
  }

  const getJson = async (url) => (await request(url)).json();

  function sendJson(method, url, body) {
    return request(url, {method, headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  }

  // ---- formatting ----

  const formatAddress = (a) => (a ? (a.Name ? `${a.Name} <${a.Address}>` : a.Address) : '');
  const formatAddresses = (list) => (list || []).map(formatAddress).join(', ');

  function formatDate(text) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? text : date.toLocaleString();
  }

  function formatSize(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function effectiveQuery() {
    const parts = [];
    if (state.query) parts.push(state.query);
    if (state.inbox) parts.push(`inbox:"${state.inbox}"`);
    return parts.join(' ');
  }

  // ---- the list ----

  async function loadPage(append) {
    const query = effectiveQuery();
    const start = append ? state.messages.length : 0;
    const url = query
      ? `${API}/search?query=${encodeURIComponent(query)}&start=${start}&limit=${PAGE_SIZE}`
      : `${API}/messages?start=${start}&limit=${PAGE_SIZE}`;
    try {
      const page = await getJson(url);
      if (query !== effectiveQuery()) return; // the search changed while this was loading
      if (!append) state.messages = [];
      const known = new Set(state.messages.map((m) => m.ID));
      for (const m of page.messages) if (!known.has(m.ID)) state.messages.push(m);
      state.matching = page.messages_count;
      showCounts(page);
      page.messages.forEach((m) => addInbox(m.Inbox));
      $('list-error').hidden = true;
    } catch (e) {
      if (!append) { state.messages = []; state.matching = 0; } // do not show the old list as if it were the answer
      $('list-error').textContent = `Could not load messages: ${e.message}`;
      $('list-error').hidden = false;
    }
    renderList();
  }

  function showCounts(page) {
    state.counts = page;
    renderStatus();
  }

  function renderStatus() {
    const page = state.counts;
    const live = state.live ? 'live' : (everConnected ? 'not live: reconnecting…' : 'connecting…');
    const matching = page && effectiveQuery() ? `${page.messages_count} matching, ` : '';
    const counts = page ? `${matching}${page.total} messages, ${page.unread} unread · ` : '';
    $('status').textContent = counts + live;
    document.body.dataset.live = String(state.live);
  }

  let countsTimer = null;
  function refreshCountsSoon() {
    clearTimeout(countsTimer);
    countsTimer = setTimeout(async () => {
      try {
        const query = effectiveQuery();
        showCounts(await getJson(query ? `${API}/search?query=${encodeURIComponent(query)}&limit=0` : `${API}/messages?limit=0`));
      } catch (e) { /* the next event or reload tries again */ }
    }, 300);
  }

  function renderList() {
    const list = $('message-list');
    const focusedId = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.id : null;
    list.replaceChildren(...state.messages.map(renderRow));
    $('list-empty').hidden = state.messages.length > 0 || !$('list-error').hidden;
    $('load-more').hidden = state.messages.length >= state.matching;
    if (focusedId) {
      const again = list.querySelector(`button[data-id="${CSS.escape(focusedId)}"]`);
      if (again) again.focus();
    }
  }

  // Live events can come by the hundred; draw the list once for a burst of them.
  let renderTimer = null;
  function renderListSoon() {
    if (renderTimer === null) renderTimer = setTimeout(() => { renderTimer = null; renderList(); }, 50);
  }

  function renderRow(m) {
    const button = el('button', {type: 'button', 'data-id': m.ID, 'aria-current': String(m.ID === state.selectedId)},
      el('span', {className: 'row-top'},
        el('span', {className: 'from', text: formatAddress(m.From) || '(no sender)'}),
        el('span', {className: 'date', text: formatDate(m.Created)})),
      el('span', {className: 'subject', text: (m.Subject || '(no subject)') + (m.Attachments ? ` · ${m.Attachments} attachment${m.Attachments === 1 ? '' : 's'}` : '')}),
      el('span', {className: 'snippet', text: m.Snippet || ''}),
      el('span', {className: 'inbox-name', text: `inbox ${m.Inbox}`}));
    if (!m.Read) button.prepend(el('span', {className: 'visually-hidden', text: 'Unread: '}));
    button.addEventListener('click', () => openMessage(m.ID));
    return el('li', {className: m.Read ? 'read' : 'unread', 'data-id': m.ID}, button);
  }

  function addInbox(name) {
    if (!name || state.inboxes.has(name)) return;
    state.inboxes.add(name);
    const select = $('inbox-filter');
    const options = [...state.inboxes].sort().map((n) => el('option', {value: n, text: n}));
    const current = select.value;
    select.replaceChildren(el('option', {value: '', text: 'All inboxes'}), ...options);
    select.value = current;
  }

  // Arrow keys move between list rows; Enter or Space opens (the rows are buttons).
  $('message-list').addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...$('message-list').querySelectorAll('button')];
    const index = buttons.indexOf(document.activeElement);
    const next = buttons[index + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next) { next.focus(); event.preventDefault(); }
  });

  // ---- one message ----

  async function openMessage(id) {
    state.selectedId = id;
    state.rawLoadedFor = null;
    renderList();
    let m;
    try {
      m = await getJson(`${API}/message/${encodeURIComponent(id)}`);
    } catch (e) {
      showMessageError(`Could not load the message: ${e.message}`);
      return;
    }
    if (state.selectedId !== id) return;
    state.selected = m;
    renderMessage(m);
    if (!m.Read) setRead([id], true); // reading marks it read, explicitly: GET never changes state
  }

  function showMessageError(text) {
    $('message-error').textContent = text;
    $('message-error').hidden = false;
  }

  function renderMessage(m) {
    $('no-selection').hidden = true;
    $('message-error').hidden = true;
    $('message').hidden = false;
    $('message-subject').textContent = m.Subject || '(no subject)';
    fillFields($('message-meta'), [
      ['From', formatAddress(m.From)], ['To', formatAddresses(m.To)], ['Cc', formatAddresses(m.Cc)],
      ['Bcc', formatAddresses(m.Bcc)], ['Reply-To', formatAddresses(m.ReplyTo)], ['Date', formatDate(m.Date)],
      ['Inbox', m.Inbox], ['Size', formatSize(m.Size)],
    ].filter(([, value]) => value));
    $('toggle-read').textContent = m.Read ? 'Mark unread' : 'Mark read';
    $('download-raw').href = `${API}/message/${encodeURIComponent(m.ID)}/raw?dl=1`;
    renderHtml(m);
    $('text-view').textContent = m.Text || '(this message has no text part)';
    renderHeaders(m.Headers || {});
    $('raw-view').textContent = '';
    renderAttachments(m);
    renderEnvelope(m.Envelope || {});
    renderAuthentication(m.Authentication || {});
    selectTab(m.HTML ? 'html' : 'text', false);
  }

  function fillFields(dl, pairs) {
    dl.replaceChildren();
    for (const [name, value] of pairs) {
      const dd = el('dd');
      if (Array.isArray(value)) dd.append(...value); else dd.textContent = value;
      dl.append(el('dt', {text: name}), dd);
    }
  }

  async function renderHtml(m) {
    const frame = $('html-frame');
    frame.dataset.state = 'loading';
    $('no-html').hidden = Boolean(m.HTML);
    frame.hidden = !m.HTML;
    if (!m.HTML) {
      frame.removeAttribute('srcdoc');
      $('remote-note').textContent = '';
      return;
    }
    const remote = countRemoteReferences(m.HTML);
    $('remote-note').textContent = remote > 0
      ? `Remote content blocked: ${remote} reference${remote === 1 ? '' : 's'} to other servers (images, styles, fonts) ` +
        'were not loaded, so the sender learns nothing from this preview.'
      : 'Remote content is blocked in this preview (this message references none).';
    const html = await withInlineImages(m, m.HTML);
    if (state.selected !== m) return;
    frame.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}">` +
      '<meta name="referrer" content="no-referrer"><base target="_blank">' + html;
  }

  const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const partUrl = (m, part) => `${API}/message/${encodeURIComponent(m.ID)}/part/${encodeURIComponent(part.PartID)}`;
  const MAX_INLINE_IMAGE = 5 * 1024 * 1024;

  /**
   * The HTML with each cid: reference to one of the message's own inline images replaced by a data:
   * URI of that image, so the preview shows it while its policy still allows data: images only.
   */
  async function withInlineImages(m, html) {
    let result = html;
    for (const part of m.Inline || []) {
      const cid = (part.ContentID || '').replace(/^<|>$/g, '');
      if (!cid || !/^image\//i.test(part.ContentType) || part.Size > MAX_INLINE_IMAGE) continue;
      const reference = new RegExp(`cid:${escapeRegExp(cid)}(?=["'\\s)>]|$)`, 'gi');
      if (!reference.test(result)) continue;
      try {
        const blob = await (await request(partUrl(m, part))).blob();
        const dataUri = await new Promise((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(reader.result);
          reader.onerror = () => reject(reader.error);
          reader.readAsDataURL(blob);
        });
        if (/^data:image\/[a-z0-9.+-]+;base64,[a-z0-9+/=]*$/i.test(dataUri)) result = result.replace(reference, () => dataUri);
      } catch (e) { /* the image stays blank, as in a mail client without it */ }
    }
    return result;
  }

  $('html-frame').addEventListener('load', () => { $('html-frame').dataset.state = 'loaded'; });

  /** How many remote loads the HTML asks for. DOMParser documents are inert: nothing here loads or runs. */
  function countRemoteReferences(html) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const remote = /^\s*(?:[a-z][a-z0-9+.-]*:)?\/\//i;
    const cssRemote = /(?:url\(\s*['"]?|@import\s+['"])\s*(?:[a-z][a-z0-9+.-]*:)?\/\//gi;
    let count = 0;
    for (const node of doc.querySelectorAll('[src], [srcset], [background], [poster], link[href], object[data]')) {
      for (const name of ['src', 'background', 'poster', 'data']) if (remote.test(node.getAttribute(name) || '')) count++;
      if (node.tagName === 'LINK' && remote.test(node.getAttribute('href'))) count++;
      if ((node.getAttribute('srcset') || '').split(',').some((s) => remote.test(s))) count++;
    }
    for (const node of doc.querySelectorAll('[style]')) count += (node.getAttribute('style').match(cssRemote) || []).length;
    for (const node of doc.querySelectorAll('style')) count += (node.textContent.match(cssRemote) || []).length;
    return count;
  }

  function renderHeaders(headers) {
    const rows = [];
    for (const [name, values] of Object.entries(headers)) {
      for (const value of values) rows.push(el('tr', {}, el('th', {scope: 'row', text: name}), el('td', {text: value})));
    }
    $('headers-view').tBodies[0].replaceChildren(...rows);
  }

  function renderAttachments(m) {
    const parts = [...(m.Attachments || []), ...(m.Inline || [])];
    $('no-attachments').hidden = parts.length > 0;
    $('attachments-view').replaceChildren(...parts.map((a) => {
      const name = a.FileName || `part ${a.PartID}`;
      const link = el('a', {href: partUrl(m, a),
        download: a.FileName || '', text: name});
      const inline = (m.Inline || []).includes(a) ? ', inline' : '';
      return el('li', {}, link, ` (${a.ContentType}, ${formatSize(a.Size)}${inline})`);
    }));
    $('tab-attachments').textContent = `Attachments (${parts.length})`;
  }

  function renderEnvelope(e) {
    const tls = e.TLS ? `${e.TLS.Protocol}, ${e.TLS.Cipher}` : 'none';
    fillFields($('envelope-view'), [
      ['MAIL FROM', e.MailFrom ? e.MailFrom : '<> (null sender)'],
      ['RCPT TO', (e.RcptTo || []).join(', ')],
      ['AUTH user', e.AuthUser || '(not authenticated)'],
      ['Client IP', e.ClientIP || '(unknown)'],
      ['HELO', e.Helo || '(unknown)'],
      ['TLS', tls],
      ['Listener', e.Listener || '(unknown)'],
      ['Received', e.Received ? formatDate(e.Received) : ''],
    ]);
  }

  function renderAuthentication(a) {
    const results = a.Results ? el('pre', {text: a.Results}) : '(none recorded)';
    fillFields($('auth-view'), [
      ['DKIM', (a.DKIM || []).length ? a.DKIM.join('; ') : '(none)'],
      ['SPF', a.SPF || '(none)'],
      ['DMARC', a.DMARC || '(none)'],
      ['Authentication-Results', [results]],
    ]);
  }

  async function loadRaw() {
    const m = state.selected;
    if (!m || state.rawLoadedFor === m.ID) return;
    state.rawLoadedFor = m.ID;
    try {
      const text = await (await request(`${API}/message/${encodeURIComponent(m.ID)}/raw`)).text();
      if (state.selected === m) $('raw-view').textContent = text;
    } catch (e) {
      $('raw-view').textContent = `Could not load the source: ${e.message}`;
      state.rawLoadedFor = null;
    }
  }

  function clearMessage(note) {
    state.selectedId = null;
    state.selected = null;
    $('message').hidden = true;
    $('html-frame').removeAttribute('srcdoc');
    $('no-selection').hidden = false;
    $('no-selection').textContent = note;
  }

  // ---- tabs (WAI-ARIA tabs pattern: arrows, Home and End move between tabs) ----

  function selectTab(name, focus) {
    for (const tab of TABS) {
      const selected = tab === name;
      $(`tab-${tab}`).setAttribute('aria-selected', String(selected));
      $(`tab-${tab}`).tabIndex = selected ? 0 : -1;
      $(`panel-${tab}`).hidden = !selected;
    }
    if (focus) $(`tab-${name}`).focus();
    if (name === 'raw') loadRaw();
  }

  for (const tab of TABS) $(`tab-${tab}`).addEventListener('click', () => selectTab(tab, false));
  $('tabs').addEventListener('keydown', (event) => {
    const current = TABS.findIndex((t) => $(`tab-${t}`) === document.activeElement);
    if (current < 0) return;
    const moves = {ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: TABS.length - 1};
    if (!(event.key in moves)) return;
    selectTab(TABS[(moves[event.key] + TABS.length) % TABS.length], true);
    event.preventDefault();
  });

  // ---- actions ----

  async function setRead(ids, read) {
    try {
      await sendJson('PUT', `${API}/messages`, {Read: read, IDs: ids});
      applyRead(ids, read); // the live event says the same; applying twice is harmless
    } catch (e) {
      showMessageError(`Could not change the read flag: ${e.message}`);
    }
  }

  function applyRead(ids, read) {
    const set = new Set(ids);
    for (const m of state.messages) if (set.has(m.ID)) m.Read = read;
    if (state.selected && set.has(state.selected.ID)) {
      state.selected.Read = read;
      $('toggle-read').textContent = read ? 'Mark unread' : 'Mark read';
    }
    renderList();
  }

  function applyDeleted(ids) {
    const set = new Set(ids);
    state.messages = state.messages.filter((m) => !set.has(m.ID));
    state.matching = Math.max(0, state.matching - ids.length);
    if (state.selectedId && set.has(state.selectedId)) clearMessage('The message was deleted.');
    renderList();
  }

  $('toggle-read').addEventListener('click', () => {
    if (state.selected) setRead([state.selected.ID], !state.selected.Read);
  });

  $('delete-message').addEventListener('click', async () => {
    const m = state.selected;
    if (!m || !window.confirm(`Delete "${m.Subject || '(no subject)'}"?`)) return;
    try {
      await sendJson('DELETE', `${API}/messages`, {IDs: [m.ID]});
      applyDeleted([m.ID]);
      const first = $('message-list').querySelector('button');
      if (first) first.focus();
    } catch (e) {
      showMessageError(`Could not delete: ${e.message}`);
    }
  });

  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.query = $('search').value.trim();
    loadPage(false);
  });

  $('inbox-filter').addEventListener('change', () => {
    state.inbox = $('inbox-filter').value;
    loadPage(false);
  });

  $('clear-search').addEventListener('click', () => {
    $('search').value = '';
    state.query = '';
    loadPage(false);
  });

  $('load-more').addEventListener('click', () => loadPage(true));

  // ---- live updates ----

  let reloadTimer = null;
  function reloadSoon() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => loadPage(false), 300);
  }

  function onStored(m) {
    addInbox(m.Inbox);
    if (effectiveQuery()) {
      reloadSoon(); // only the server knows whether it matches the search
    } else if (!state.messages.some((x) => x.ID === m.ID)) {
      state.messages.unshift(m);
      state.matching++;
      renderListSoon();
    }
    refreshCountsSoon();
  }

  let everConnected = false;
  function connectEvents() {
    const source = new EventSource(`${API}/events`);
    source.addEventListener('open', () => {
      state.live = true;
      renderStatus();
      // After a reconnect, events may have been missed (there is no replay): load the list again.
      if (everConnected) { loadInboxes(); loadPage(false); } else refreshCountsSoon();
      everConnected = true;
    });
    source.addEventListener('error', () => {
      state.live = false;
      renderStatus();
      if (source.readyState === EventSource.CLOSED) { // refused (e.g. too many clients): try again later
        setTimeout(connectEvents, 10000);
      }
    });
    source.addEventListener('stored', (e) => onStored(JSON.parse(e.data)));
    source.addEventListener('deleted', (e) => { applyDeleted(JSON.parse(e.data).IDs); refreshCountsSoon(); });
    source.addEventListener('read', (e) => {
      const data = JSON.parse(e.data);
      applyRead(data.IDs, data.Read);
      refreshCountsSoon();
    });
  }

  async function loadInboxes() {
    try {
      (await getJson(`${API}/inboxes`)).inboxes.forEach((i) => addInbox(i.Name));
    } catch (e) { /* the names still come in with the messages listed and arriving */ }
  }

  Promise.all([loadInboxes(), loadPage(false)]).then(connectEvents);
})();
