// Creating a room, and room info with the owner's Edit form (name, "Encrypted" toggle).

import { h, keyIcon, icon, announce, verifiedMark } from './dom.js';
import { openDialog, confirmDialog, field, toggle, buttons } from './dialog.js';

const TYPES = [
  ['p', 'Private group', 'Only the members you add can see it.'],
  ['c', 'Public channel', 'Anyone on this server can join. Never encrypted.'],
  ['d', 'Direct message', 'A conversation between you and one other person.'],
];

/** settings: {e2eEnabled, defaultPrivate, defaultDirect}. onCreate(body) returns the room. */
export function showCreateRoomDialog({ settings, onCreate, type: initial = 'p' }) {
  const d = openDialog({ title: 'New room', id: 'create-room-dialog' });
  const radios = TYPES.map(([value, label]) => {
    const input = h('input', { type: 'radio', name: 'room-type', id: `room-type-${value}`, value, checked: value === initial,
      'aria-describedby': 'room-type-hint' });
    return h('div.radio', {}, input, h('label', { for: input.id, text: label }));
  });
  const typeHint = h('p.hint', { id: 'room-type-hint' });
  const name = h('input', { type: 'text', id: 'room-name', maxlength: '64', autocomplete: 'off' });
  const members = h('input', { type: 'text', id: 'room-members', autocomplete: 'off', spellcheck: 'false' });
  const enc = toggle('room-encrypted', 'Encrypted', false,
    'Messages are encrypted in your browser; the server cannot read them and they never appear in its search.');
  const nameField = field('Name', name);
  const membersField = field('Members', members, 'Usernames, separated by commas.');
  const form = h('form', { id: 'create-room-form' },
    h('fieldset.types', {}, h('legend', { text: 'Type' }), h('div.radios', {}, radios), typeHint), nameField, membersField, enc.el);
  const submit = h('button.btn.primary', { type: 'submit', form: 'create-room-form', id: 'create-room-submit' }, 'Create');
  const cancel = h('button.btn', { type: 'button' }, 'Cancel');
  cancel.addEventListener('click', () => d.cancel());
  d.body.append(form);
  buttons(d.footer, cancel, submit);

  const type = () => form.querySelector('input[name="room-type"]:checked').value;
  // the toggle starts at the server's default for the type, until the user touches it
  let touched = false;
  enc.input.addEventListener('change', () => { touched = true; });
  function sync() {
    const t = type();
    typeHint.textContent = TYPES.find(([v]) => v === t)[2];
    nameField.hidden = t === 'd';
    membersField.querySelector('label').textContent = t === 'd' ? 'Username' : 'Members';
    membersField.querySelector('.hint').textContent = t === 'd' ? 'The person to talk to.' : 'Usernames, separated by commas. You can add people later.';
    enc.el.hidden = t === 'c' || !settings.e2eEnabled;
    if (!touched) enc.input.checked = t === 'p' ? settings.defaultPrivate : t === 'd' ? settings.defaultDirect : false;
  }
  form.addEventListener('change', (ev) => { if (ev.target.name === 'room-type') sync(); });
  sync();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const t = type();
    const list = members.value.split(/[\s,]+/).map((s) => s.replace(/^@/, '').trim()).filter(Boolean);
    if (t !== 'd' && !name.value.trim()) return d.error('Give the room a name.');
    if (t === 'd' && list.length !== 1) return d.error('Enter the one username to talk to.');
    const body = { type: t, members: list };
    if (t !== 'd') body.name = name.value.trim();
    if (t !== 'c' && settings.e2eEnabled) body.encrypted = enc.input.checked;
    d.error('');
    d.busy(true, 'Creating…');
    try {
      await onCreate(body);
      d.close();
    } catch (e) {
      d.busy(false, 'Create');
      d.error(e.message);
    }
    return undefined;
  });
  d.show();
  (initial === 'd' ? members : name).focus();
}

/**
 * Room info: type, encryption, members; owners get Edit (name and, for private groups and
 * direct messages, the "Encrypted" toggle), Add member and Remove by each other member;
 * everyone but DM members may leave. Removing and leaving ask first.
 * onRemoveMember(member) resolves with the room as it is now. verify (when encryption is usable):
 * {status(uid) -> 'verified'|'unverified'|'changed', onVerify(member)} adds the verified marks
 * and a "Verify" button by every other member (and "Verify <name>" in a direct message).
 */
export function showRoomInfoDialog({ room: initial, me, title, settings, onSave, onAddMember, onRemoveMember, onLeave,
  verify }) {
  let room = initial;
  const d = openDialog({ title: 'Room info', id: 'room-info-dialog' });
  const owner = room.role === 'owner';
  const canToggle = owner && room.type !== 'c' && settings.e2eEnabled;
  const typeLabel = { c: 'Public channel', p: 'Private group', d: 'Direct message' }[room.type];

  function view() {
    heading.textContent = 'Room info';
    d.body.replaceChildren(
      h('div.info-title', {}, h('h3', { text: title }), room.encrypted ? keyIcon('room-key info-key') : null),
      h('dl.info', {},
        h('dt', { text: 'Type' }), h('dd', { text: typeLabel }),
        h('dt', { text: 'Encryption' }), h('dd', { id: 'info-encryption',
          text: room.encrypted ? 'End-to-end encrypted' : 'Not encrypted' }),
        h('dt', { text: 'Members' }), h('dd', {}, h('ul.members', {}, (room.members || []).map(memberItem)))));
    const close = h('button.btn', { type: 'button' }, 'Close');
    close.addEventListener('click', () => d.close());
    const actions = [];
    const peer = (room.members || []).find((m) => m.id !== me.userId);
    if (verify && room.type === 'd' && peer) {
      const v = h('button.btn', { type: 'button', id: 'verify-peer' }, icon('shield'), `Verify ${peer.username}`);
      v.addEventListener('click', () => { d.close(); verify.onVerify(peer); });
      actions.push(v);
    }
    if (room.type !== 'd') {
      const leave = h('button.btn.subtle-danger', { type: 'button', id: 'leave-room' }, 'Leave room');
      leave.addEventListener('click', confirmLeave);
      actions.push(leave);
    }
    if (owner && room.type !== 'd') {
      const add = h('button.btn', { type: 'button', id: 'add-member' }, 'Add member');
      add.addEventListener('click', addForm);
      actions.push(add);
    }
    if (owner) {
      const edit = h('button.btn.primary', { type: 'button', id: 'edit-room' }, 'Edit');
      edit.addEventListener('click', editForm);
      actions.push(edit);
    }
    d.footer.replaceChildren(...actions, close);
  }

  function memberItem(m) {
    const removable = owner && room.type !== 'd' && m.id !== me.userId;
    let remove = null;
    if (removable) {
      remove = h('button.link-btn.remove-member', { type: 'button', dataset: { userId: m.id },
        'aria-label': `Remove ${m.username}` }, 'Remove');
      remove.addEventListener('click', () => confirmRemove(m));
    }
    let check = null;
    if (verify && m.id !== me.userId) {
      check = h('button.link-btn.verify-member', { type: 'button', dataset: { userId: m.id },
        'aria-label': `Verify ${m.username}` }, 'Verify');
      check.addEventListener('click', () => { d.close(); verify.onVerify(m); });
    }
    const status = verify && m.id !== me.userId ? verify.status(m.id) : null;
    return h('li', { dataset: { userId: m.id } }, icon('person'), h('span.member-name', { text: m.username }),
      status === 'verified' ? verifiedMark('member-verified') : null,
      status === 'changed' ? h('span.tag.tag-warn', { text: 'safety number changed' }) : null,
      m.role === 'owner' ? h('span.tag', { text: 'owner' }) : null,
      m.id === me.userId ? h('span.tag', { text: 'you' }) : null, check, remove);
  }

  async function confirmRemove(m) {
    const removed = await confirmDialog({
      title: `Remove ${m.username} from ${title}?`,
      text: room.encrypted
        ? `${m.username} will no longer be in ${title}. The room key will be rotated, so ${m.username} cannot read `
          + 'anything sent after this. What they could read before may stay on their devices.'
        : `${m.username} will no longer see ${title} or its new messages. An owner can add them again later.`,
      confirmLabel: `Remove ${m.username}`,
      busyLabel: 'Removing…',
      onConfirm: async () => { room = await onRemoveMember(m); },
      errorText: (e) => removeError(e, m),
    });
    if (!removed) return;
    d.error('');
    view();
    announce(`${m.username} was removed from ${title}.`);
    const next = d.body.querySelector('.remove-member') || d.footer.querySelector('.btn');
    if (next) next.focus(); // the Remove button that had focus is gone
  }

  async function confirmLeave() {
    const left = await confirmDialog({
      title: `Leave ${title}?`,
      text: room.encrypted
        ? 'You will no longer receive its messages, and you cannot read anything sent after you leave. '
          + 'An owner can add you again.'
        : 'You will no longer see it or its new messages. An owner can add you again.',
      confirmLabel: 'Leave room',
      busyLabel: 'Leaving…',
      onConfirm: onLeave,
      errorText: (e) => (e.code === 'forbidden'
        ? 'You are the only owner of this room, so you cannot leave while others are in it. Remove them first.'
        : e.message),
    });
    if (left) d.close();
  }

  async function run(fn, btn, label) {
    d.error('');
    d.busy(true);
    try {
      await fn();
      d.close();
    } catch (e) {
      d.busy(false);
      btn.textContent = label;
      d.error(e.message);
    }
  }

  const heading = d.el.querySelector('.dialog-title');

  function editForm() {
    heading.textContent = room.type === 'd' ? 'Edit direct message' : 'Edit room';
    const name = h('input', { type: 'text', id: 'edit-room-name', maxlength: '64', value: room.name || '' });
    // no silent downgrade: where the server keeps encrypted rooms encrypted, the toggle says so and stays on
    const locked = room.encrypted && !settings.allowDisable;
    const enc = toggle('edit-room-encrypted', 'Encrypted', room.encrypted, locked
      ? 'This server keeps encrypted rooms encrypted: encryption cannot be turned off.'
      : room.encrypted
        ? 'Turning encryption off sends new messages in plain text, and every member is told. Earlier encrypted messages stay encrypted.'
        : 'New messages are encrypted in the browser. Messages sent before stay as they are.');
    enc.input.disabled = locked;
    const form = h('form', { id: 'edit-room-form' }, room.type !== 'd' ? field('Name', name) : null, canToggle ? enc.el : null);
    d.body.replaceChildren(form);
    const save = h('button.btn.primary', { type: 'submit', form: 'edit-room-form', id: 'save-room' }, 'Save');
    const back = h('button.btn', { type: 'button' }, 'Cancel');
    back.addEventListener('click', () => { d.error(''); view(); });
    d.footer.replaceChildren(back, save);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const patch = {};
      if (room.type !== 'd' && name.value.trim() && name.value.trim() !== room.name) patch.name = name.value.trim();
      if (canToggle && enc.input.checked !== room.encrypted) patch.encrypted = enc.input.checked;
      if (!Object.keys(patch).length) return view();
      return run(() => onSave(patch), save, 'Save');
    });
    (canToggle ? enc.input : name).focus();
  }

  function addForm() {
    heading.textContent = 'Add member';
    const input = h('input', { type: 'text', id: 'add-member-name', autocomplete: 'off', spellcheck: 'false' });
    const form = h('form', { id: 'add-member-form' }, field('Username', input));
    d.body.replaceChildren(form);
    const save = h('button.btn.primary', { type: 'submit', form: 'add-member-form', id: 'add-member-submit' }, 'Add');
    const back = h('button.btn', { type: 'button' }, 'Cancel');
    back.addEventListener('click', () => { d.error(''); view(); });
    d.footer.replaceChildren(back, save);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (input.value.trim()) run(() => onAddMember(input.value.trim().replace(/^@/, '')), save, 'Add');
    });
    input.focus();
  }

  view();
  d.show();
}

function removeError(e, m) {
  if (e.code === 'forbidden') return `${m.username} is the room's only owner and cannot be removed while others are in it.`;
  if (e.code === 'not_found') return `${m.username} is no longer a member.`;
  return e.message;
}
