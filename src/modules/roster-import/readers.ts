// Streams the rows of a roster file as arrays of cell text with their spreadsheet row
// numbers: CSV (UTF-8 with or without BOM, UTF-16 with BOM, GBK/GB18030), .xlsx (a streaming
// reader of our own, first worksheet: see xlsx-reader.ts) and legacy .xls (SheetJS, which
// loads the whole file: fine for .xls, which cannot exceed 65,536 rows; capped at XLS_MAX_BYTES).
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type * as XLSXTypes from '@e965/xlsx';
import { AppError } from '../../server/errors.js';
import { CsvParser } from './csv-parser.js';
import type { SheetRow } from './header-detection.js';
import { excelSerialToDate } from './row-normalize.js';
import { numberText, readXlsxRows, XlsxFormatError } from './xlsx-reader.js';

export { numberText };

/** SheetJS with its code pages (for GBK .xls), loaded on the first .xls only (~15 MB). */
let sheetjs: Promise<typeof XLSXTypes> | undefined;
function loadSheetJs(): Promise<typeof XLSXTypes> {
  sheetjs ??= (async () => {
    const XLSX = await import('@e965/xlsx');
    XLSX.set_cptable(await import('@e965/xlsx/dist/cpexcel.full.mjs'));
    return XLSX;
  })();
  return sheetjs;
}

export type RosterFormat = 'csv' | 'xlsx' | 'xls';

/** Legacy .xls is read into memory: refuse bigger files with advice instead of exhausting it. */
export const XLS_MAX_BYTES = 64 * 1024 * 1024;

const SNIFF_BYTES = 64 * 1024;

export class FileReadError extends AppError {
  constructor(message: string) {
    super(400, 'FILE_UNREADABLE', message);
  }
}

async function readHead(filePath: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const fh = await fs.promises.open(filePath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Decides the format from the file's first bytes, then its name. */
export async function detectFormat(filePath: string, fileName: string = filePath): Promise<RosterFormat> {
  let head: Buffer;
  try {
    head = await readHead(filePath, 8);
  } catch {
    throw new FileReadError(`无法打开文件“${path.basename(fileName)}”`);
  }
  const ext = path.extname(fileName).toLowerCase();
  if (head.length === 0) throw new FileReadError('文件是空的');
  if (head[0] === 0x50 && head[1] === 0x4b) return 'xlsx';
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) return 'xls';
  if (ext === '.xls' || ext === '.et') return 'xls'; // often an HTML or XML table saved as .xls; SheetJS reads those
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw new FileReadError(`不支持的文件格式“${ext || path.basename(fileName)}”：请上传 .xlsx、.xls 或 .csv 文件`);
}

/** The text encoding of a CSV: a BOM decides; else valid UTF-8 in the first 64 KB → utf8; else GB18030 (a superset of GBK). */
export function sniffEncoding(head: Buffer): 'utf8' | 'utf16le' | 'utf16be' | 'gb18030' {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  try {
    // stream mode: a character cut at the 64 KB boundary is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

function sniffDelimiter(text: string): string {
  const firstLines = text.split(/\r?\n/, 40).join('\n');
  const count = (ch: string) => firstLines.split(ch).length - 1;
  const tabs = count('\t');
  const commas = count(',') + count('，');
  const semis = count(';');
  if (tabs > commas && tabs >= semis) return '\t';
  if (semis > commas) return ';';
  return ',';
}

async function* readCsv(filePath: string): AsyncGenerator<SheetRow> {
  const head = await readHead(filePath);
  const encoding = sniffEncoding(head);
  const delimiter = sniffDelimiter(iconv.decode(head, encoding));
  // the decoder strips a BOM and keeps characters split across chunks whole
  const decoder = iconv.getDecoder(encoding);
  const parser = new CsvParser(delimiter);
  const stream = fs.createReadStream(filePath, { highWaterMark: 256 * 1024 });
  let rowNo = 0;
  const out: string[][] = [];
  try {
    for await (const buf of stream as AsyncIterable<Buffer>) {
      parser.push(decoder.write(buf), out);
      for (const cells of out) yield { rowNo: ++rowNo, cells };
      out.length = 0;
    }
    const tail = decoder.end();
    if (tail) parser.push(tail, out);
    parser.end(out);
    for (const cells of out) yield { rowNo: ++rowNo, cells };
  } catch (err) {
    throw new FileReadError(`CSV 文件第 ${rowNo + 1} 行附近无法读取：${(err as Error).message}`);
  } finally {
    stream.destroy();
  }
}

async function* readXlsx(filePath: string): AsyncGenerator<SheetRow> {
  try {
    yield* readXlsxRows(filePath);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof XlsxFormatError) throw new FileReadError(err.message);
    throw new FileReadError(`Excel 文件无法读取（文件可能已损坏）：${(err as Error).message}`);
  }
}

async function* readXls(filePath: string): AsyncGenerator<SheetRow> {
  const stat = await fs.promises.stat(filePath);
  if (stat.size > XLS_MAX_BYTES) {
    throw new FileReadError(`.xls 文件过大（${Math.round(stat.size / 1048576)} MB，上限 ${XLS_MAX_BYTES / 1048576} MB）：请在 Excel 中另存为 .xlsx 后再导入`);
  }
  const XLSX = await loadSheetJs();
  let ws: XLSXTypes.WorkSheet | undefined;
  try {
    const wb = XLSX.read(await fs.promises.readFile(filePath), { type: 'buffer', cellDates: false, cellNF: true, dense: true, sheets: 0 });
    ws = wb.Sheets[wb.SheetNames[0]!];
  } catch (err) {
    const msg = (err as Error).message;
    if (/password|encrypt/i.test(msg)) throw new FileReadError('Excel 文件设置了密码，请取消密码后再导入');
    throw new FileReadError(`.xls 文件无法读取（文件可能已损坏）：${msg}`);
  }
  if (!ws || !ws['!ref']) return;
  const range = XLSX.utils.decode_range(ws['!ref']);
  const data = (ws as unknown as { '!data'?: (XLSXTypes.CellObject | undefined)[][] })['!data'] ?? [];
  for (let r = range.s.r; r <= range.e.r; r++) {
    const row = data[r];
    if (!row) continue;
    const cells: string[] = [];
    const width = Math.min(row.length, range.e.c + 1);
    for (let c = 0; c < width; c++) cells.push(sheetjsCellText(XLSX, row[c]));
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    yield { rowNo: r + 1, cells };
  }
}

function sheetjsCellText(XLSX: typeof XLSXTypes, cell: XLSXTypes.CellObject | undefined): string {
  if (!cell || cell.v == null) return '';
  switch (cell.t) {
    case 's':
      return String(cell.v);
    case 'n': {
      const n = cell.v as number;
      if (cell.z && typeof cell.z === 'string' && XLSX.SSF.is_date(cell.z)) return excelSerialToDate(n) ?? numberText(n);
      return numberText(n);
    }
    case 'b':
      return cell.v ? '是' : '否';
    case 'd':
      return cell.v instanceof Date ? cell.v.toISOString().slice(0, 10) : String(cell.v);
    case 'e':
      return '';
    default:
      return String(cell.v);
  }
}

/** The rows of a roster file, streamed. Throws FileReadError (Chinese) when it cannot be read. */
export async function openRows(filePath: string, fileName: string = filePath): Promise<{ format: RosterFormat; rows: AsyncGenerator<SheetRow> }> {
  const format = await detectFormat(filePath, fileName);
  const rows = format === 'csv' ? readCsv(filePath) : format === 'xlsx' ? readXlsx(filePath) : readXls(filePath);
  return { format, rows };
}
