/** How the council writes the references Selfdirect gives the people it adds (a council setting). */
export type ReferenceFormat = { referencePrefix: string; referenceDigits: number };

/** The reference for a number in the council's format: SD- and 5 digits make 123 into SD-00123. */
export function councilReference(format: ReferenceFormat, number: number): string {
  return `${format.referencePrefix}${String(number).padStart(format.referenceDigits, '0')}`;
}
