// Full-width (全角) text as Chinese input methods and Excel produce it, made half-width. Pure;
// shared by the importers, the ID-number rules and the aid amounts (server and web).

/** Full-width ASCII to half-width, ideographic space and NBSP to a space. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\u3000\u00a0]/g, ' ');
}
