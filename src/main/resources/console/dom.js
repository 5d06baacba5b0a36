// Building the page from elements and text nodes: every value from the API becomes text, never markup.

let counter = 0;

/** A fresh element id, for label/for and aria-describedby pairs. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** h('button', { class: 'secondary', onclick: fn }, 'Save'): attributes, listeners (on...), children (nodes or text). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'style') throw new Error('no style attributes: the Content-Security-Policy refuses them; use a class');
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      element.className = value;
    } else if (key === 'value' && 'value' in element) {
      element.value = value;
    } else if (key === 'checked') {
      element.checked = true;
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** A labelled control: <label for> + control + optional hint, and a slot for the API's message about this field. */
export function field(label, control, { hint, name } = {}) {
  if (!control.id) control.id = uid('field');
  if (name) control.dataset.field = name;
  const hintElement = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  if (hintElement) describe(control, hintElement.id);
  const error = h('p', { class: 'field-error', id: uid('error'), hidden: true });
  control.dataset.errorId = error.id;
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintElement, error);
}

/** A checkbox with its label to the right. */
export function checkbox(label, { checked = false, name, hint, disabled = false } = {}) {
  const input = h('input', { type: 'checkbox', id: uid('check'), checked, disabled });
  if (name) input.dataset.field = name;
  const hintElement = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  if (hintElement) describe(input, hintElement.id);
  const error = h('p', { class: 'field-error', id: uid('error'), hidden: true });
  input.dataset.errorId = error.id;
  const wrapper = h('div', { class: 'check' }, input, h('div', {}, h('label', { for: input.id }, label), hintElement, error));
  return { wrapper, input };
}

export function describe(control, id) {
  const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  if (!ids.includes(id)) ids.push(id);
  control.setAttribute('aria-describedby', ids.join(' '));
}

/** The alert area at the top of a form, for problems that concern no single field. */
export function formAlert() {
  return h('div', { class: 'alert', role: 'alert', hidden: true, tabindex: '-1' });
}

export function clearProblems(form) {
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  for (const error of form.querySelectorAll('.field-error')) { error.textContent = ''; error.hidden = true; }
  for (const alert of form.querySelectorAll('.alert')) { alert.textContent = ''; alert.hidden = true; }
}

/**
 * Shows an API problem where it belongs: next to the control whose data-field is the problem's `field`, else in
 * the form's alert. The control (or the alert) gets the focus, so keyboard and screen-reader users land on it.
 */
export function showProblem(form, error) {
  clearProblems(form);
  const detail = error.detail || String(error.message || error);
  const name = error.field;
  const control = name ? form.querySelector(`[data-field="${CSS.escape(name)}"]`) : null;
  if (control && control.dataset.errorId) {
    const slot = document.getElementById(control.dataset.errorId);
    slot.textContent = detail;
    slot.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    describe(control, slot.id);
    control.focus();
    return;
  }
  const alert = form.querySelector('.alert');
  if (alert) {
    alert.textContent = detail;
    alert.hidden = false;
    alert.focus();
  }
}

/** Copies text to the clipboard; says so in a live region next to the button. */
export function copyButton(getText, label = 'Copy', accessibleName) {
  const status = h('span', { class: 'copied', role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary small', 'aria-label': accessibleName || label }, label);
  button.addEventListener('click', async () => {
    const text = typeof getText === 'function' ? getText() : getText;
    status.textContent = (await copy(text)) ? 'Copied' : 'Select the text and press Ctrl+C';
    setTimeout(() => { status.textContent = ''; }, 4000);
  });
  return [button, status];
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Without the asynchronous clipboard (older browsers, some permission settings): the selection way.
    const area = h('textarea', { readonly: true, class: 'offscreen', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    let done = false;
    try { done = document.execCommand('copy'); } catch { done = false; }
    area.remove();
    return done;
  }
}

/** A read-only value with a copy button, e.g. a URL from the metadata. */
export function copyField(label, value, { name } = {}) {
  const input = h('input', { type: 'text', readonly: true, value, class: 'mono' });
  if (name) input.dataset.field = name;
  input.id = uid('copy');
  return h('div', { class: 'field' }, h('label', { for: input.id }, label),
    h('div', { class: 'copy-row' }, input, copyButton(() => input.value, 'Copy', `Copy ${label}`)));
}

/** A table that becomes a list of labelled rows on a narrow screen; a cell is content, or { td: 'class', content }. */
export function table(caption, columns, rows) {
  const head = h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col' }, column))));
  const body = h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, index) =>
    h('td', { 'data-label': columns[index] || '', class: cell && cell.td ? cell.td : null },
      cell && cell.td ? cell.content : cell)))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'responsive-table' },
    caption ? h('caption', { class: 'visually-hidden' }, caption) : null, head, body));
}

export function yesNo(value, yes = 'Yes', no = 'No') {
  return h('span', { class: value ? 'status-on' : 'status-off' }, value ? yes : no);
}

export function when(instant) {
  if (!instant) return '—';
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : date.toLocaleString();
}
