// Files in the room view: the cards of a message's files (a preview for pictures; name, size
// and a Download button that turns into Cancel while the download runs, with a progress bar)
// and the rows of the composer's attachments (name, size, upload progress, Cancel or Remove).
// Cards and rows are updated in place as transfers move, so focus stays on their button.

import { h, icon, append } from './dom.js';

/** "512 bytes", "47 KB", "3.2 MB" (powers of 1024). */
export function formatSize(n) {
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u += 1; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

const cards = new WeakMap(); // card element -> {view, files, preview, button, progress, status, watched}

/** The list of a message's files; files is the Files of files.js. */
export function fileList(views, files) {
  return h('ul.msg-files', { 'aria-label': views.length === 1 ? 'Attached file' : 'Attached files' },
    views.map((v) => fileCard(v, files)));
}

function fileCard(view, files) {
  const card = h(`li.file-card${view.image ? '.image' : ''}`, { dataset: { fid: view.id } });
  if (view.bad) {
    card.append(h('p.file-status.error', { text: 'This attachment cannot be read: its description is damaged.' }));
    return card;
  }
  const preview = view.image ? h('div.file-preview') : null;
  const button = h('button.btn.file-download', { type: 'button' });
  button.addEventListener('click', () => {
    const d = files.downloads.get(view.id);
    if (d && d.phase === 'downloading') files.cancelDownload(view.id);
    else files.download(view);
  });
  const progress = h('progress.file-progress', { max: '1', value: '0', hidden: true, 'aria-label': `Downloading ${view.name}` });
  const status = h('p.file-status', { 'aria-live': 'polite' });
  append(card, [
    preview,
    h('div.file-row', {}, view.image ? null : icon('file'),
      h('div.file-info', {}, h('span.file-name', { text: view.name }), h('span.file-size', { text: formatSize(view.size) })),
      button),
    progress, status]);
  cards.set(card, { view, files, preview, button, progress, status, watched: false });
  updateCard(card, files);
  return card;
}

/** Brings a card up to date with its download and preview. */
export function updateCard(card, files) {
  const c = cards.get(card);
  if (!c) return;
  const { view } = c;
  const d = files.downloads.get(view.id) || { phase: 'idle' };
  const running = d.phase === 'downloading';
  c.button.replaceChildren(icon(running ? 'close' : 'download'), h('span', { text: running ? 'Cancel' : 'Download' }));
  c.button.setAttribute('aria-label', running ? `Cancel the download of ${view.name}` : `Download ${view.name}`);
  c.progress.hidden = !running;
  if (running) {
    c.progress.max = Math.max(1, d.total);
    c.progress.value = d.received;
  }
  const text = {
    downloading: view.encrypted ? 'Downloading and decrypting…' : 'Downloading…',
    done: view.encrypted ? 'Decrypted and checked. Saved to your downloads.' : 'Saved to your downloads.',
    cancelled: 'Download cancelled.',
    failed: d.error,
  }[d.phase] || '';
  if (c.status.textContent !== text) c.status.textContent = text;
  c.status.classList.toggle('error', d.phase === 'failed');
  card.classList.toggle('tampered', !!d.integrity);
  if (c.preview) updatePreview(c, files);
}

// a preview is fetched when its card comes near the screen: a long history of pictures costs
// nothing until someone scrolls to it
const nearScreen = new IntersectionObserver((entries) => entries.forEach((en) => {
  const c = cards.get(en.target.closest('li.file-card'));
  if (!en.target.isConnected || !c) nearScreen.unobserve(en.target); // re-rendered meanwhile
  else if (en.isIntersecting) {
    nearScreen.unobserve(en.target);
    c.files.loadPreview(c.view);
  }
}), { rootMargin: '400px 0px' });

function updatePreview(c, files) {
  const p = files.previewState(c.view) || {};
  if (!files.previewState(c.view) && !c.watched) {
    c.watched = true;
    nearScreen.observe(c.preview);
  }
  const shown = c.preview.firstChild;
  if (p.url) {
    if (shown && shown.tagName === 'IMG' && shown.getAttribute('src') === p.url) return;
    const img = h('img', { src: p.url, alt: `Preview of ${c.view.name}` });
    const t = c.view.thumb;
    if (t && Number.isInteger(t.w) && Number.isInteger(t.h)) { img.width = t.w; img.height = t.h; }
    c.preview.replaceChildren(img);
  } else {
    const text = p.error || 'Loading preview…';
    if (!shown || shown.textContent !== text) c.preview.replaceChildren(h(`p.preview-note${p.error ? '.error' : ''}`, { text }));
  }
}

// ---- the composer's attachments ------------------------------------------------------------

const rows = new WeakMap(); // row element -> {att, button, progress, status}

/** A row for an attachment of the composer; onRemove(att) cancels or removes it. */
export function attachmentRow(att, onRemove) {
  const button = h('button.icon-btn.attachment-remove', { type: 'button' }, icon('close'));
  button.addEventListener('click', () => onRemove(att));
  const progress = h('progress.attachment-progress', { max: '1', value: '0', 'aria-label': `Uploading ${att.name}` });
  const status = h('span.attachment-status');
  const row = h('li.attachment', { dataset: { lid: att.lid } },
    icon('file'),
    h('div.attachment-info', {}, h('span.file-name', { text: att.name }),
      h('span.file-size', { text: formatSize(att.size) }), status, progress),
    button);
  rows.set(row, { att, button, progress, status });
  updateRow(row);
  return row;
}

export function updateRow(row) {
  const r = rows.get(row);
  if (!r) return;
  const { att } = r;
  const busy = att.phase !== 'done' && att.phase !== 'failed';
  row.dataset.phase = att.phase;
  r.button.setAttribute('aria-label', busy ? `Cancel the upload of ${att.name}` : `Remove ${att.name}`);
  r.button.title = busy ? 'Cancel upload' : 'Remove';
  r.progress.hidden = !busy;
  r.progress.max = Math.max(1, att.total);
  r.progress.value = att.done;
  const pct = att.total ? Math.floor((100 * att.done) / att.total) : 0;
  r.status.textContent = {
    preparing: 'Preparing…',
    encrypting: `Encrypting… ${pct}%`,
    uploading: `Uploading… ${pct}%`,
    done: att.encrypted ? 'Encrypted and uploaded' : 'Uploaded',
    failed: att.error,
  }[att.phase] || '';
  r.status.classList.toggle('error', att.phase === 'failed');
}
