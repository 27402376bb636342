import { describe, expect, it } from 'vitest';
import { previewCsv, splitCsvLine } from './csv-preview.js';

describe('device CSV preview', () => {
  it('splits quoted fields', () => {
    expect(splitCsvLine('a,"b, c","say ""hi""",')).toEqual(['a', 'b, c', 'say "hi"', '']);
  });

  it('counts rows and finds attribute columns', () => {
    const p = previewCsv('\uFEFFdeviceKey,name,site\r\ninv1,Inverter 1,roof\ninv2,Inverter 2,yard\n\n', true);
    expect(p).toEqual({ columns: ['deviceKey', 'name', 'site'], rows: 2, problems: [], attributes: ['site'] });
  });

  it('says what is missing', () => {
    expect(previewCsv('', false).problems).toEqual(['the file is empty']);
    expect(previewCsv('deviceKey,deviceKey\n1,2', false).problems).toEqual([
      'the header has no name column',
      'choose a product: the file has no productKey column',
      'the column deviceKey appears twice',
    ]);
  });
});
