/**
 * Name fields. ICAO: primary identifier '<<' secondary identifier, components joined by a single
 * '<', then fillers only. French ID card: separate surname and given-name fields whose
 * components are separated by one or more fillers.
 */

const FILLER = 60;

export interface IcaoNameReading {
  surname: string;
  givenNames: string;
  /** Absolute index where the given names start; characters before it belong to the surname. */
  givenStart: number;
  /** Absolute index where the filler-only tail starts (after the given names). */
  tailStart: number;
  /** Absolute index of the first non-filler inside the filler-only tail, or -1. */
  fillerViolation: number;
  /** The last position holds a letter: the issuer may have cut the name. */
  truncated: boolean;
}

function lastNonFiller(line: string, start: number, end: number): number {
  let last = end;
  while (last > start && line.charCodeAt(last - 1) === FILLER) last--;
  return last;
}

/** Start of the filler-only tail of an ICAO name field (used by correction mode too). */
export function icaoNameTail(line: string, start: number, length: number): { givenStart: number; tailStart: number } {
  const end = start + length;
  const last = lastNonFiller(line, start, end);
  let split = -1;
  for (let i = start; i + 1 < last; i++) {
    if (line.charCodeAt(i) === FILLER && line.charCodeAt(i + 1) === FILLER) {
      split = i;
      break;
    }
  }
  if (split < 0) return { givenStart: last, tailStart: last };
  const givenStart = split + 2;
  let tailStart = last;
  if (line.charCodeAt(givenStart) === FILLER) {
    tailStart = givenStart;
  } else {
    for (let i = givenStart; i + 1 < last; i++) {
      if (line.charCodeAt(i) === FILLER && line.charCodeAt(i + 1) === FILLER) {
        tailStart = i;
        break;
      }
    }
  }
  return { givenStart, tailStart };
}

export function readIcaoName(line: string, start: number, length: number): IcaoNameReading {
  const end = start + length;
  const last = lastNonFiller(line, start, end);
  const { givenStart, tailStart } = icaoNameTail(line, start, length);
  const surnameEnd = givenStart === last ? last : givenStart - 2;
  let fillerViolation = -1;
  for (let i = tailStart; i < last; i++) {
    if (line.charCodeAt(i) !== FILLER) {
      fillerViolation = i;
      break;
    }
  }
  return {
    surname: line.slice(start, surnameEnd).replaceAll('<', ' '),
    givenNames: givenStart < tailStart ? line.slice(givenStart, tailStart).replaceAll('<', ' ') : '',
    givenStart,
    tailStart,
    fillerViolation,
    truncated: last === end && last > start,
  };
}

/** Components separated by any run of fillers, joined by single spaces (French ID card). */
export function readNameComponents(line: string, start: number, length: number): { value: string; truncated: boolean } {
  const end = start + length;
  const last = lastNonFiller(line, start, end);
  let first = start;
  while (first < last && line.charCodeAt(first) === FILLER) first++;
  let value = '';
  let runStart = first;
  for (let i = first; i < last; i++) {
    if (line.charCodeAt(i) === FILLER) {
      if (runStart < i) value += (value === '' ? '' : ' ') + line.slice(runStart, i);
      runStart = i + 1;
    }
  }
  if (runStart < last) value += (value === '' ? '' : ' ') + line.slice(runStart, last);
  return { value, truncated: last === end && last > start };
}
