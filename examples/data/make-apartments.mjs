#!/usr/bin/env node
/*
 * Writes apartments.csv beside this script: 2,000 made-up apartments of a made-up city, with
 * a price (price_k, thousands of euros) that really depends on the other columns. Seeded, so
 * running it again gives the same bytes:   node examples/data/make-apartments.mjs
 *
 * Columns: area_m2, rooms, floor (numbers); year_built (a number, ~8% missing); district (a
 * category, one name holds a comma so it is quoted); balcony (yes/no); heating (a category,
 * ~10% missing); price_k (the target).
 * price ~ area x the district's price per m2 x (1 + 1% per floor up to 8) + balcony 15
 *         + heating (heat pump 20, district 5, gas 0, electric -10) - 0.3 per year of age + noise (sd 12)
 */
import { writeFileSync } from 'node:fs';

const ROWS = 2000;
const SEED = 20261204;

/** mulberry32: a small, well-known 32-bit generator. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(SEED);
const pick = (items) => items[Math.floor(random() * items.length)];
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

const DISTRICTS = [
  ['Old Town', 6.0],
  ['Riverside', 5.0],
  ['Harbor', 4.5],
  ['University', 4.0],
  ['Hillside', 3.5],
  ['Mill Lane, North', 3.0],
];
const HEATING = [
  ['gas', 0],
  ['district', 5],
  ['heat pump', 20],
  ['electric', -10],
];

const quote = (text) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

const lines = ['area_m2,rooms,floor,year_built,district,balcony,heating,price_k'];
for (let i = 0; i < ROWS; i++) {
  const area = Math.round(25 + 135 * random() ** 1.3);
  const rooms = Math.max(1, Math.min(6, Math.round(area / 28 + normal() * 0.5)));
  const floor = Math.floor(random() * 13);
  const year = 1900 + Math.floor(random() * 123);
  const [district, rate] = pick(DISTRICTS);
  const balcony = random() < 0.45;
  const [heating, heatingEffect] = pick(HEATING);
  const price =
    area * rate * (1 + 0.01 * Math.min(floor, 8)) + (balcony ? 15 : 0) + heatingEffect - 0.3 * (2024 - year) + 12 * normal();
  lines.push(
    [
      area,
      rooms,
      floor,
      random() < 0.08 ? '' : year,
      quote(district),
      balcony ? 'yes' : 'no',
      random() < 0.1 ? '' : heating,
      price.toFixed(1),
    ].join(','),
  );
}
writeFileSync(new URL('apartments.csv', import.meta.url), `${lines.join('\n')}\n`);
