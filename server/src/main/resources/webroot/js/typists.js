// Who is typing in the open room, from `typing` frames: each typist shows for a few seconds
// after their last frame, or until their message arrives, whichever comes first.

const SHOW_MS = 4000;

export class Typists {
  /** onText(text) gets the line to show ('' when nobody is typing). */
  constructor(onText) {
    this.onText = onText;
    this.byUser = new Map(); // uid -> {name, timer}
  }

  typing(uid, name) {
    const known = this.byUser.get(uid);
    if (known) clearTimeout(known.timer);
    this.byUser.set(uid, { name, timer: setTimeout(() => this.stopped(uid), SHOW_MS) });
    this.show();
  }

  /** Their message arrived, or they went quiet. */
  stopped(uid) {
    const known = this.byUser.get(uid);
    if (!known) return;
    clearTimeout(known.timer);
    this.byUser.delete(uid);
    this.show();
  }

  clear() {
    this.byUser.forEach((t) => clearTimeout(t.timer));
    this.byUser.clear();
    this.show();
  }

  show() {
    const names = [...this.byUser.values()].map((t) => t.name);
    this.onText(names.length === 0 ? ''
      : names.length === 1 ? `${names[0]} is typing…`
        : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : 'Several people are typing…');
  }
}
