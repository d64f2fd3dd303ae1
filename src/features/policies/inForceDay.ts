/** The end of a Bangkok calendar day as an instant: a version effective at any time that day counts as in force on it. */
export function endOfBangkokDay(day: string): string {
  return `${day}T23:59:59.999+07:00`;
}
