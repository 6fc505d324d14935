// Reads a PDF the way a viewer does (pdfjs-dist, legacy build for Node): the page sizes and the
// text of every page, decoded through the fonts' ToUnicode maps (pdfkit writes glyph ids, so the
// raw bytes cannot be grepped for Chinese).
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfContent {
  pages: { width: number; height: number; text: string }[];
  /** every page's text, pages joined by a form feed */
  text: string;
  title: string | null;
}

export async function readPdf(bytes: Buffer | Uint8Array): Promise<PdfContent> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: PdfContent['pages'] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const text = content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join('');
    pages.push({ width: x1 - x0, height: y1 - y0, text });
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages, text: pages.map((p) => p.text).join('\f'), title: ((meta.info as Record<string, unknown>)?.Title as string) ?? null };
}
