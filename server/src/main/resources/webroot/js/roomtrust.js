// What trust.js means for one room: whether a direct message's other member is verified (the
// mark by its title), and why nothing may be encrypted in it now.

import { blockingText } from './views/trustbar.js';

/** The other member of a direct message, when the user verified them. */
export function peerVerified(trust, myId, room) {
  if (!room || room.type !== 'd') return false;
  const other = (room.members || []).find((m) => m.id !== myId);
  return !!other && trust.status(other.id) === 'verified';
}

/**
 * Why nothing may be encrypted in this room now (null: it may): the key log failed, or a
 * member's keys cannot be used. Plain rooms encrypt nothing, so they are never paused.
 */
export function blockedText(trust, room) {
  if (!room || !room.encrypted) return null;
  if (trust.logAlarm) return 'Sending is paused: the server\'s key log failed a check (see the warning at the top).';
  return trust.roomIssues(room).map(blockingText).find(Boolean) || null;
}
