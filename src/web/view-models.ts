/**
 * The shapes the shared partials draw. Presenters build them from domain results; templates only
 * lay them out, so no template decides a label, a link or a rule.
 */

export type Link = {
  href: string;
  text: string;
  /** Read by screen readers only: "Change<hidden> outcome 2</hidden>". */ hiddenText?: string;
};

export type TagColour = 'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';
export type Tag = { text: string; colour?: TagColour };

/** A button that posts a small form (remove, submit); the partial adds the CSRF token. */
export type PostButton = { action: string; text: string; hiddenText?: string; fields?: Record<string, string>; secondary?: boolean };

export type Action = { link: Link } | { button: PostButton };

/** One table cell: text, a link or a tag, with an optional smaller second line. */
export type TableCell = {
  text?: string;
  link?: Link;
  tag?: Tag;
  secondary?: string;
  /** A tag on the second line, under the text: a due date, then "overdue by 3 days". */
  secondaryTag?: Tag;
  actions?: Action[];
  numeric?: boolean;
  nowrap?: boolean;
};

export type TableHead = { text: string; numeric?: boolean; /** Heard, not seen: the header of an actions column. */ hidden?: boolean };

/** One row of a GOV.UK summary list; `lines` for a value of several lines, such as an address. */
export type SummaryRow = { key: string; value?: string; lines?: string[]; link?: Link; tag?: Tag; actions?: Link[] };

export const textCell = (text: string, options: Omit<TableCell, 'text'> = {}): TableCell => ({ text, ...options });
export const linkCell = (link: Link, options: Omit<TableCell, 'link'> = {}): TableCell => ({ link, ...options });
