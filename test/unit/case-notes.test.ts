import { describe, expect, it } from 'vitest';
import { londonInstant, londonTimeOf } from '../../src/calendar.js';
import { canCorrectNote } from '../../src/notes/rules.js';
import { actionsOfKind } from '../../src/notes/timeline.js';
import { timeOfDay } from '../../src/web/form-fields.js';

describe('a time of day as people type it', () => {
  it.each([
    ['14:30', '14:30'],
    ['2:30pm', '14:30'],
    ['2.30 PM', '14:30'],
    ['9am', '09:00'],
    ['12am', '00:00'],
    ['12:15pm', '12:15'],
    ['noon', '12:00'],
    ['0:05', '00:05'],
  ])('reads %s as %s', (typed, time) => {
    expect(timeOfDay(typed)).toBe(time);
  });

  it.each(['', '14', '24:00', '13pm', '0am', '9:60', 'half two', '9:5'])('refuses %j', (typed) => {
    expect(timeOfDay(typed)).toBeUndefined();
  });
});

describe('a London date and time as an instant', () => {
  it('is an hour ahead of UTC in summer and level with it in winter', () => {
    expect(londonInstant('2026-06-15', '09:30').toISOString()).toBe('2026-06-15T08:30:00.000Z');
    expect(londonInstant('2026-12-15', '09:30').toISOString()).toBe('2026-12-15T09:30:00.000Z');
  });

  it('takes the first 1:30am on the night the clocks go back, and reads a skipped time as the clock would show it', () => {
    expect(londonInstant('2026-10-25', '01:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    const skipped = londonInstant('2026-03-29', '01:30');
    expect(skipped.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(londonTimeOf(skipped)).toBe('02:30');
  });
});

describe('who may correct a note', () => {
  const note = { writtenBy: 7, writtenAt: new Date('2026-06-15T10:00:00Z') };

  it('is its author, until 24 hours after they wrote it', () => {
    expect(canCorrectNote({ id: 7 }, note, new Date('2026-06-16T09:59:59Z'))).toBe(true);
    expect(canCorrectNote({ id: 7 }, note, new Date('2026-06-16T10:00:00Z'))).toBe(false);
    expect(canCorrectNote({ id: 8 }, note, new Date('2026-06-15T10:00:01Z'))).toBe(false);
  });
});

describe('the kinds a timeline is filtered by', () => {
  it('sorts each action into its kind, leaving draft saves and the notes’ own events out', () => {
    expect(actionsOfKind('reviews')).toEqual(['review_scheduled', 'review_cancelled', 'review_completed', 'review_reassigned']);
    expect(actionsOfKind('assessments')).toContain('assessment_submitted');
    expect(actionsOfKind('assessments')).not.toContain('assessment_saved');
    expect(actionsOfKind('plans')).toEqual(expect.arrayContaining(['plan_approved', 'budget_ended', 'direct_payment_run_created']));
    expect(actionsOfKind('plans')).not.toContain('plan_changed');
    expect(actionsOfKind('person')).toEqual(expect.arrayContaining(['person_created', 'support_request_recorded', 'carer_linked']));
    expect(actionsOfKind('person')).not.toContain('case_note_added');
    expect(actionsOfKind('all')).toBeUndefined();
    expect(actionsOfKind('notes')).toBeUndefined();
  });
});
