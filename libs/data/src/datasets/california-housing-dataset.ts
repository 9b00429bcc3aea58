import { join } from 'node:path';
import { sha256Hex } from '../hash/sha256-hex.js';
import { CAL_HOUSING_DATA_SHA256, CANONICAL_SOURCES, type DatasetSource } from './canonical-sources.js';
import { ensureCachedFile } from './cached-file.js';
import type { NumericDataset } from './dataset.js';
import type { DownloadContext } from './download-context.js';
import { gunzip } from './gunzip.js';
import { parseNumericTable } from './numeric-table.js';
import { extractTarMember } from './tar-reader.js';

export const CAL_HOUSING_MEMBER = 'CaliforniaHousing/cal_housing.data';

function isCanonical(source: DatasetSource, canonical: DatasetSource): boolean {
  return source.url === canonical.url && source.sha256 === canonical.sha256;
}

/** The cached file path of California housing inside a data home. */
export function calHousingPath(dataHome: string): string {
  return join(dataHome, 'california_housing', 'cal_housing.data');
}

/**
 * California housing (1990 census block groups) converted exactly like scikit-learn's
 * fetch_california_housing: per-household averages from the raw totals, value in 100,000 USD.
 */
export async function californiaHousingDataset(context: DownloadContext): Promise<NumericDataset> {
  const canonical = CANONICAL_SOURCES.california_housing;
  const source = context.source ?? canonical;
  const path = calHousingPath(context.dataHome);
  const bytes = await ensureCachedFile({
    dataset: 'california_housing',
    path,
    source,
    // The extracted file's hash is only known for the canonical archive.
    expectedSha256: isCanonical(source, canonical) ? CAL_HOUSING_DATA_SHA256 : undefined,
    extract: (archive) => extractTarMember(gunzip(archive), CAL_HOUSING_MEMBER),
    fetch: context.fetch,
    onProgress: context.onProgress,
    placeHint: `the file ${CAL_HOUSING_MEMBER} inside scikit-learn's cal_housing.tgz, ${canonical.url}`,
  });
  const raw = parseNumericTable(new TextDecoder().decode(bytes), 9, path);
  const x: number[][] = [];
  const y: number[][] = [];
  for (const row of raw) {
    const [longitude, latitude, age, rooms, bedrooms, population, households, income, value] = row as [
      number, number, number, number, number, number, number, number, number,
    ];
    x.push([income, age, rooms / households, bedrooms / households, population, population / households, latitude, longitude]);
    y.push([value / 100_000]);
  }
  return {
    name: 'california_housing',
    task: 'regression',
    description:
      'California housing, 1990 census block groups (Pace & Barry, 1997), in scikit-learn\'s layout; ' +
      'target MedHouseVal is the median house value in 100,000 USD.',
    featureNames: ['MedInc', 'HouseAge', 'AveRooms', 'AveBedrms', 'Population', 'AveOccup', 'Latitude', 'Longitude'],
    targetNames: ['MedHouseVal'],
    x,
    y,
    featureShape: [8],
    hash: sha256Hex(bytes),
  };
}
