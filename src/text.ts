const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * PostgreSQL cannot store U+0000 in text or JSON, and no one means to type the other C0 controls
 * or DEL: they arrive pasted from other programs or forged. Forms and the RAS import refuse them, with a
 * message by the field instead of a failed query. A textarea keeps its tabs and line breaks.
 */
export function hasControlCharacter(text: string, options: { multiLine?: boolean } = {}): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x7f) return true;
    if (code >= 0x20) continue;
    if (options.multiLine && (code === TAB || code === LINE_FEED || code === CARRIAGE_RETURN)) continue;
    return true;
  }
  return false;
}

// U+202A-U+202E embed and override the direction of the text after them, U+2066-U+2069 isolate it:
// pasted into a name or a note they make it read differently from what is stored (CVE-2021-42574).
const DIRECTION_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/** Text that would display in another order than it was written, or hide what follows it. */
export function hasDirectionControl(text: string): boolean {
  return DIRECTION_CONTROL.test(text);
}

// Characters that take no space on screen: zero-width space, non-joiner and joiner, the direction
// marks, word joiner and the invisible operators, the byte order mark, the soft hyphen and the
// Mongolian vowel separator. Inside a word they have their uses (a joiner in an emoji, a
// non-joiner in Persian); alone they are a name no one can read or find.
const INVISIBLE = /^[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]*$/u;

/** Text that has characters but shows none of them: "\u200b\u200b" looks empty and is not. */
export function isOnlyInvisible(text: string): boolean {
  return text.length > 0 && INVISIBLE.test(text) && text.trim() !== '';
}

/** "the start date" to "The start date", for a label that begins a sentence. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Made once: localeCompare given a locale or options builds a new collator at every comparison,
// about 17 µs, against under 1 µs for this one.
const inWords = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });

/** Text in the order staff would look for it: case and accents aside, and "Team 2" before "Team 10". */
export function compareWords(a: string, b: string): number {
  return inWords.compare(a, b);
}
