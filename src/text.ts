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

/** "the start date" to "The start date", for a label that begins a sentence. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
