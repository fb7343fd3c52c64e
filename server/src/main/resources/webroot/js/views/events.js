// Timeline events as people read them: one quiet, centred line each ("alice added carol",
// "alice's encryption keys changed"). Only what the server itself knows; never message text.

import { h, timeLabel } from './dom.js';

/** Who caused an event, as the user myId reads it: "You" or their username. */
export function actorName(e, myId) {
  return e.from.id === myId ? 'You' : e.from.username;
}

/** The sentence of an event entry, from the point of view of the user myId. */
export function eventText(e, myId) {
  const ev = e.event;
  const by = actorName(e, myId);
  const user = ev.user ? (ev.user.id === myId ? 'you' : ev.user.username) : 'someone';
  switch (ev.type) {
    case 'room.created': return `${by} created this room`;
    case 'member.added': return ev.user && ev.user.id === e.from.id ? `${by} joined` : `${by} added ${user}`;
    case 'member.removed': return `${by} removed ${user}`;
    case 'member.left': return `${by} left`;
    case 'room.renamed': return `${by} renamed the room to “${ev.name}”`;
    case 'encryption.enabled': return `${by} turned on end-to-end encryption`;
    case 'encryption.disabled': return `${by} turned off end-to-end encryption. New messages are not encrypted.`;
    case 'key.rotated': return rotated(ev, by);
    case 'user.keys.changed':
      return ev.user && ev.user.id === myId ? 'Your encryption keys changed' : `${ev.user ? ev.user.username : by}'s encryption keys changed`;
    default: return `${by} changed the room`;
  }
}

function rotated(ev, by) {
  if (ev.reason === 'member_removed') return 'New room key: people who left or were removed cannot read what follows';
  if (ev.reason === 'recovered') {
    return `${by} set up a new room key: nobody held the previous one, so messages encrypted with it cannot be read`;
  }
  return `${by} replaced the room key`;
}

/** The list item of an event: a centred line with its time; no author block, no avatar. */
export function renderEvent(e, myId) {
  return h(`li.event.event-${e.event.type.replace(/\./g, '-')}`, { dataset: { seq: e.seq || '', state: 'event' } },
    h('p.event-text', {}, h('span', { text: eventText(e, myId) }), ' ',
      h('time.event-time', { datetime: new Date(e.ts).toISOString(), text: timeLabel(e.ts) })));
}
