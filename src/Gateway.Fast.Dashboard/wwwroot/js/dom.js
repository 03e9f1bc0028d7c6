// A tiny element builder: h('button', { type: 'button', onclick }, 'Save'). Text is always set as text, never as HTML,
// so log bodies and names from the API cannot inject markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'value') el.value = value;
    else if (name === 'checked') el.checked = !!value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let nextId = 0;

/** A label and its control, tied by id (screen readers announce the label; clicking it focuses the control). */
export function field(label, control, hint) {
  control.id ||= `f${++nextId}`;
  const hintEl = hint ? h('small', { id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

export function select(name, options, value) {
  return h('select', { name }, options.map(([v, text]) => h('option', { value: v, selected: v === value ? 'selected' : null }, text)));
}

export function toast(message, isError) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = isError ? 'error show' : 'show';
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.className = ''; }, 4000);
}

/** Copies text and says so; the button keeps focus, so a keyboard user stays in place. */
export function copyButton(text, label) {
  return h('button', {
    type: 'button', class: 'small', 'aria-label': label ?? 'Copy',
    onclick: async () => {
      try { await navigator.clipboard.writeText(text); toast('Copied'); } catch { toast('Copy failed: select the text and copy it', true); }
    },
  }, 'Copy');
}

export function errorBox(error) {
  return h('p', { class: 'error-box', role: 'alert' }, error?.message ?? String(error));
}
