// Money is exact: the API sends decimal strings of GSTD with up to 9 decimals (nano-GSTD), never floats.

export const NANO_PER_GSTD = 1_000_000_000n;

const decimal = /^(-)?(\d+)(?:\.(\d{1,9}))?$/;

/** The nano-GSTD of an API amount ("1.25", "-0.000000001"); throws on anything else. */
export function parseMoney(text: string): bigint {
  const match = decimal.exec(text.trim());
  if (match === null) {
    throw new Error(`"${text}" is not an amount of GSTD.`);
  }
  const [, sign, units, fraction = ''] = match;
  const nano = BigInt(units!) * NANO_PER_GSTD + BigInt(fraction.padEnd(9, '0'));
  return sign === '-' ? -nano : nano;
}

/** The canonical decimal of a nano amount, as the API writes it: "1.25", "0.5", "3", "-0.1". */
export function formatMoney(nano: bigint): string {
  const negative = nano < 0n;
  const magnitude = negative ? -nano : nano;
  const units = magnitude / NANO_PER_GSTD;
  const fraction = (magnitude % NANO_PER_GSTD).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${groupThousands(units.toString())}${fraction === '' ? '' : `.${fraction}`}`;
}

/** An amount for people: thousands grouped, every significant decimal kept, with the unit. */
export function displayMoney(amount: string | bigint): string {
  return `${formatMoney(typeof amount === 'bigint' ? amount : parseMoney(amount))} GSTD`;
}

/** A nano amount as a chart's number of GSTD (charts plot floats; labels and totals stay exact). */
export function moneyToNumber(nano: bigint): number {
  return Number(nano) / Number(NANO_PER_GSTD);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}
