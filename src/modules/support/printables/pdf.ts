// Draws a PrintDoc (layout.ts) as an A4 PDF with pdfkit: Noto Sans SC from the npm package
// @expo-google-fonts/noto-sans-sc (full TrueType files, OFL), embedded as a subset of the glyphs
// used (pdfkit/fontkit), so a file stays small and needs no system font. Left margin wider for
// binding; running header (school, title), footer (print time, 内部资料 注意保密, 第 x 页 共 y 页).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { projectPath } from '../../../shared/project-root.js';
import type { Block, Column, PrintDoc } from './layout.js';

// the font package resolves from the project's node_modules, from the sources and from the CLI bundle alike
const require = createRequire(projectPath('package.json'));

/** A4 in points (210 × 297 mm). */
export const A4 = { width: 595.28, height: 841.89 } as const;
/** mm → pt */
const mm = (v: number) => (v * 72) / 25.4;
/** left 25 mm for binding, right 18 mm, top 25 mm under the header, bottom 20 mm above the footer */
const MARGINS = { top: mm(25), bottom: mm(20), left: mm(25), right: mm(18) };

const FONT = 'zh';
const BOLD = 'zh-bold';
const INK = '#000000';
const MUTED = '#555555';
const RULE = '#333333';
const HEAD_FILL = '#eeeeee';

let fonts: { regular: Buffer; bold: Buffer } | undefined;
/** The two font files, read once per process (about 10 MB each; pdfkit embeds only the glyphs used). */
export function loadFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
    bold: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')),
  };
  return fonts;
}

type Doc = PDFKit.PDFDocument;

class Writer {
  readonly left = MARGINS.left;
  readonly width = A4.width - MARGINS.left - MARGINS.right;
  readonly maxY = A4.height - MARGINS.bottom;

  constructor(readonly doc: Doc) {}

  get y() {
    return this.doc.y;
  }

  /** A new page unless `h` more points fit on this one. */
  ensure(h: number) {
    if (this.doc.y + h > this.maxY) this.doc.addPage();
  }

  text(s: string, o: { size?: number; bold?: boolean; color?: string; align?: 'left' | 'center' | 'right'; gap?: number } = {}) {
    const d = this.doc;
    d.font(o.bold ? BOLD : FONT).fontSize(o.size ?? 10).fillColor(o.color ?? INK);
    this.ensure(d.heightOfString(s, { width: this.width }));
    d.text(s, this.left, d.y, { width: this.width, align: o.align ?? 'left' });
    d.y += o.gap ?? 2;
  }

  cellHeight(s: string, w: number, bold = false, size = 9): number {
    this.doc.font(bold ? BOLD : FONT).fontSize(size);
    return this.doc.heightOfString(s || ' ', { width: w - 8 }) + 8;
  }

  cell(s: string, x: number, y: number, w: number, h: number, o: { bold?: boolean; fill?: string; size?: number; align?: 'left' | 'center' } = {}) {
    const d = this.doc;
    if (o.fill) d.rect(x, y, w, h).fillColor(o.fill).fill();
    d.rect(x, y, w, h).lineWidth(0.6).strokeColor(RULE).stroke();
    d.font(o.bold ? BOLD : FONT).fontSize(o.size ?? 9).fillColor(INK);
    d.text(s, x + 4, y + 4, { width: w - 8, align: o.align ?? 'left', lineGap: 0 });
  }

  /** One row of cells; `widths` in points. A row taller than a page is cut by pdfkit's own wrapping. */
  row(cells: { text: string; width: number; bold?: boolean; fill?: string; align?: 'left' | 'center' }[], minH = 0, onBreak?: () => void) {
    const h = Math.max(minH, ...cells.map((c) => this.cellHeight(c.text, c.width, c.bold)));
    if (this.doc.y + h > this.maxY) {
      this.doc.addPage();
      onBreak?.();
    }
    let x = this.left;
    const y = this.doc.y;
    for (const c of cells) {
      this.cell(c.text, x, y, c.width, h, c);
      x += c.width;
    }
    this.doc.x = this.left;
    this.doc.y = y + h;
  }

  widths(cols: readonly Column[]): number[] {
    const total = cols.reduce((s, c) => s + c.width, 0);
    return cols.map((c) => (c.width / total) * this.width);
  }
}

function drawBlock(w: Writer, b: Block) {
  const d = w.doc;
  switch (b.kind) {
    case 'title':
      w.ensure(60);
      w.text(b.text, { size: 18, bold: true, align: 'center', gap: 2 });
      if (b.sub) w.text(b.sub, { size: 10, color: MUTED, align: 'center', gap: 8 });
      break;
    case 'heading':
      d.y += 6;
      w.ensure(70); // never a heading alone at the foot of a page
      w.text(b.text, { size: 12, bold: true, gap: 4 });
      break;
    case 'paragraph':
      w.text(b.text, { size: 9.5, color: b.muted ? MUTED : INK, gap: 4 });
      break;
    case 'list':
      for (const item of b.items) w.text(`· ${item}`, { size: 9.5, gap: 2 });
      d.y += 2;
      break;
    case 'fields': {
      const labelW = 72;
      const valueW = (w.width - b.cols * labelW) / b.cols;
      let line: { text: string; width: number; bold?: boolean; fill?: string }[] = [];
      let used = 0;
      const flush = () => {
        if (line.length === 0) return;
        if (used < b.cols) line.push({ text: '', width: (b.cols - used) * (labelW + valueW) });
        w.row(line, 20);
        line = [];
        used = 0;
      };
      for (const item of b.items) {
        const span = Math.min(item.span ?? 1, b.cols);
        if (used + span > b.cols) flush();
        line.push({ text: item.label, width: labelW, bold: true, fill: HEAD_FILL }, { text: item.value, width: span * (labelW + valueW) - labelW });
        used += span;
        if (used === b.cols) flush();
      }
      flush();
      d.y += 6;
      break;
    }
    case 'table': {
      const ws = w.widths(b.columns);
      const header = () => w.row(b.columns.map((c, i) => ({ text: c.label, width: ws[i]!, bold: true, fill: HEAD_FILL, align: 'center' as const })));
      w.ensure(50);
      header();
      for (const r of b.rows) w.row(r.map((t, i) => ({ text: t, width: ws[i]! })), 0, header);
      if (b.rows.length === 0 && b.empty && !b.blankRows) w.row([{ text: b.empty, width: w.width, align: 'center' }]);
      for (let i = 0; i < (b.blankRows ?? 0); i++) w.row(ws.map((width) => ({ text: '', width })), 24, header);
      d.y += 6;
      break;
    }
    case 'signatures': {
      d.y += 10;
      w.ensure(30 * Math.ceil(b.items.length / 2) + 10);
      const half = w.width / 2;
      b.items.forEach((label, i) => {
        const x = w.left + (i % 2) * half;
        const y = d.y;
        d.font(FONT).fontSize(10.5).fillColor(INK).text(`${label}（签字）：`, x, y, { lineBreak: false });
        const lx = x + d.widthOfString(`${label}（签字）：`);
        d.moveTo(lx, y + 14).lineTo(x + half - 95, y + 14).lineWidth(0.6).strokeColor(RULE).stroke();
        d.text('日期：', x + half - 90, y, { lineBreak: false });
        d.moveTo(x + half - 58, y + 14).lineTo(x + half - 10, y + 14).stroke();
        d.y = i % 2 === 1 || i === b.items.length - 1 ? y + 30 : y;
      });
      d.x = w.left;
      break;
    }
    case 'cover': {
      d.y = A4.height * 0.22;
      d.font(BOLD).fontSize(36).fillColor(INK).text(b.title, w.left, d.y, { width: w.width, align: 'center', characterSpacing: 12 });
      d.y += 8;
      d.font(FONT).fontSize(14).text(b.sub, w.left, d.y, { width: w.width, align: 'center' });
      d.y = A4.height * 0.5;
      const x = w.left + w.width * 0.18;
      const lw = w.width * 0.64;
      for (const [label, value] of b.lines) {
        const y = d.y;
        d.font(BOLD).fontSize(13).text(`${label}：`, x, y, { width: 90, lineBreak: false });
        d.font(FONT).fontSize(13).text(value, x + 90, y, { width: lw - 90, lineBreak: false, ellipsis: true });
        d.moveTo(x + 88, y + 19).lineTo(x + lw, y + 19).lineWidth(0.6).strokeColor(RULE).stroke();
        d.y = y + 34;
      }
      d.x = w.left;
      break;
    }
    case 'pageBreak':
      d.addPage();
      break;
  }
}

/** Header and footer on every page, drawn after the content (so 共 y 页 is known). */
function decorate(doc: Doc, p: PrintDoc) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 }; // drawing in the margins must not add pages
    const left = MARGINS.left;
    const right = A4.width - MARGINS.right;
    const width = right - left;
    const hy = mm(12);
    doc.font(FONT).fontSize(9).fillColor(MUTED);
    doc.text(p.header, left, hy, { width: width / 2, lineBreak: false, ellipsis: true });
    doc.text(p.title, left + width / 2, hy, { width: width / 2, align: 'right', lineBreak: false });
    doc.moveTo(left, hy + 14).lineTo(right, hy + 14).lineWidth(0.5).strokeColor(MUTED).stroke();
    const fy = A4.height - mm(13);
    doc.moveTo(left, fy - 4).lineTo(right, fy - 4).lineWidth(0.5).strokeColor(MUTED).stroke();
    doc.text(`打印时间：${p.printedAt}`, left, fy, { width: width / 3, lineBreak: false });
    doc.font(BOLD).text(p.footerNote, left + width / 3, fy, { width: width / 3, align: 'center', lineBreak: false });
    doc.font(FONT).text(`第 ${i - range.start + 1} 页 共 ${range.count} 页`, left + (2 * width) / 3, fy, { width: width / 3, align: 'right', lineBreak: false });
    doc.page.margins = saved;
  }
}

/** The PDF bytes of a document. */
export function renderPdf(p: PrintDoc): Promise<Buffer> {
  const f = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    info: { Title: p.title, Author: p.author, Creator: 'bangfu 帮扶', Subject: p.footerNote },
    lang: 'zh-CN',
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, f.regular);
  doc.registerFont(BOLD, f.bold);
  doc.font(FONT);
  const w = new Writer(doc);
  for (const b of p.blocks) drawBlock(w, b);
  decorate(doc, p);
  doc.end();
  return done;
}
