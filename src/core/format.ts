/**
 * Formatting shared by every stage and the views.
 */

/**
 * A count with thousands separators, independent of the locale (`12,345`).
 *
 * @param value - The count; rounded to a whole number.
 */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
