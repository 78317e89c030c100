/**
 * A small XML reader and writer for the editors' interchange files (FCPXML,
 * Final Cut Pro 7 XML): elements, attributes, text, CDATA, the five named
 * entities and numeric character references; comments, processing
 * instructions and the DOCTYPE are skipped. Not validating: a file that is
 * not well-formed is an error naming its line and column. No external
 * entities are ever read.
 */
import { inputError } from '../common/errors.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (its text nodes joined, CDATA included). */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, where: () => string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (_, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) throw new Error(`${where()}: character reference &${ref}; is out of range`);
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref];
    if (named === undefined) throw new Error(`${where()}: unknown entity &${ref};`);
    return named;
  });
}

/** Parses an XML document into its root element; `file` names it in errors (with line and column). */
export function parseXml(source: string, file: string): XmlElement {
  const text = source.replace(/^\uFEFF/, '');
  let pos = 0;
  const lineCol = (at: number) => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - before.lastIndexOf('\n') };
  };
  const fail = (message: string, at = pos): never => {
    const { line, column } = lineCol(at);
    throw inputError('XML_MALFORMED', `${file}:${line}:${column}: ${message}`, { file, path: `line ${line}, column ${column}` });
  };
  const where = () => {
    const { line, column } = lineCol(pos);
    return `${file}:${line}:${column}`;
  };
  const safeDecode = (s: string) => {
    try {
      return decode(s, where);
    } catch (e) {
      return fail((e as Error).message.replace(/^[^:]+:\d+:\d+: /, ''));
    }
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) {
      if (text.slice(pos).trim()) {
        if (!stack.length) fail('text after the root element');
        stack[stack.length - 1]!.text += safeDecode(text.slice(pos));
      }
      break;
    }
    if (lt > pos) {
      const chunk = text.slice(pos, lt);
      if (stack.length) stack[stack.length - 1]!.text += safeDecode(chunk);
      else if (chunk.trim()) fail('text outside the root element');
    }
    pos = lt;
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) fail('a comment that never ends');
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      if (end < 0) fail('a CDATA section that never ends');
      if (!stack.length) fail('CDATA outside the root element');
      stack[stack.length - 1]!.text += text.slice(pos + 9, end);
      pos = end + 3;
    } else if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end < 0) fail('a processing instruction that never ends');
      pos = end + 2;
    } else if (text.startsWith('<!DOCTYPE', pos) || text.startsWith('<!doctype', pos)) {
      // an internal subset ([...]) is skipped whole; its entities are never used
      let depth = 0;
      let i = pos + 9;
      for (; i < text.length; i++) {
        const c = text[i];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      if (i >= text.length) fail('a DOCTYPE that never ends');
      pos = i + 1;
    } else if (text[pos + 1] === '/') {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(pos, pos + 300));
      if (!m) fail('a malformed end tag');
      const open = stack.pop();
      if (!open) fail(`an end tag </${m![1]}> with no element open`);
      if (open!.name !== m![1]) fail(`</${m![1]}> closes <${open!.name}> (line ${open!.line})`);
      pos += m![0].length;
    } else {
      const start = pos;
      const nameMatch = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(pos, pos + 300));
      if (!nameMatch) fail('a "<" that starts no tag (write &lt; in text)');
      pos += nameMatch![0].length;
      const el: XmlElement = { name: nameMatch![1]!, attrs: {}, children: [], text: '', line: lineCol(start).line };
      for (;;) {
        const ws = /^\s*/.exec(text.slice(pos))![0].length;
        pos += ws;
        if (text.startsWith('/>', pos)) {
          pos += 2;
          attach(el);
          break;
        }
        if (text[pos] === '>') {
          pos += 1;
          attach(el);
          stack.push(el);
          break;
        }
        const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(text.slice(pos, pos + 100_000));
        if (!a) fail(`a malformed attribute in <${el.name}>`);
        if (!ws) fail(`attributes of <${el.name}> must be separated by spaces`);
        if (a![1]! in el.attrs) fail(`attribute "${a![1]}" twice in <${el.name}>`);
        el.attrs[a![1]!] = safeDecode(a![3] ?? a![4] ?? '');
        pos += a![0].length;
      }
    }
  }
  if (stack.length) fail(`<${stack[stack.length - 1]!.name}> (line ${stack[stack.length - 1]!.line}) is never closed`, text.length);
  if (!root) fail('no root element', 0);
  return root!;

  function attach(el: XmlElement): void {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) fail(`a second root element <${el.name}>`);
    else root = el;
  }
}

/** Parses a document whose root must be `<root>`; another root is an error naming the file, the line and what to do. */
export function parseXmlRoot(source: string, file: string, root: string, opts: { code: string; hint: string }): XmlElement {
  const el = parseXml(source, file);
  if (el.name !== root)
    throw inputError(opts.code, `${file}: the root element is <${el.name}>, not <${root}>`, {
      file,
      path: `line ${el.line}`,
      hint: opts.hint,
    });
  return el;
}

/** The first element named `name`, depth first (the element itself included). */
/** Every element of that name under `el`, in document order. */
export function findAll(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    findAll(c, name, out);
  }
  return out;
}

export function findElement(el: XmlElement, name: string): XmlElement | undefined {
  if (el.name === name) return el;
  for (const c of el.children) {
    const f = findElement(c, name);
    if (f) return f;
  }
  return undefined;
}

/** Child elements named `name`. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The first child named `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** The text of a child (trimmed), or undefined. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = child(el, name);
  return c ? c.text.trim() : undefined;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

/** An element to write: name, attributes (undefined ones left out), children or text. */
export interface XmlNode {
  name: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  children?: Array<XmlNode | undefined>;
  text?: string;
}

/** Writes an element tree as indented XML (two spaces a level), after the declaration and an optional DOCTYPE. */
export function formatXml(root: XmlNode, doctype?: string): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (doctype) out.push(`<!DOCTYPE ${doctype}>`);
  const write = (n: XmlNode, depth: number) => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(n.attrs ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
      .join('');
    const kids = (n.children ?? []).filter((c): c is XmlNode => c !== undefined);
    if (!kids.length && n.text === undefined) out.push(`${pad}<${n.name}${attrs}/>`);
    else if (!kids.length) out.push(`${pad}<${n.name}${attrs}>${escapeXml(n.text!)}</${n.name}>`);
    else {
      out.push(`${pad}<${n.name}${attrs}>`);
      for (const k of kids) write(k, depth + 1);
      out.push(`${pad}</${n.name}>`);
    }
  };
  write(root, 0);
  return `${out.join('\n')}\n`;
}
