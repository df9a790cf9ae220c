// search.js: search-as-you-type for the /search/ page.
//
// Behind `dronekb serve` it asks /api/search. On a plain static host it
// searches the index the build writes under search/ (see
// internal/search/static.go for the format), running the same analysis
// as the bleve index, in English and French, with the data the build puts
// in the manifest, so the same query finds the same entries either way.
//
// Text from the index is only ever inserted as text nodes; the only
// elements made from data are <mark>s around matched words.
(function () {
  'use strict';

  // ---------------------------------------------------------------- UTF-8

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  function runeLen(r) {
    return r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4;
  }

  function putRune(b, i, r) {
    if (r < 0x80) { b[i] = r; return 1; }
    if (r < 0x800) { b[i] = 0xc0 | r >> 6; b[i + 1] = 0x80 | r & 0x3f; return 2; }
    if (r < 0x10000) { b[i] = 0xe0 | r >> 12; b[i + 1] = 0x80 | r >> 6 & 0x3f; b[i + 2] = 0x80 | r & 0x3f; return 3; }
    b[i] = 0xf0 | r >> 18; b[i + 1] = 0x80 | r >> 12 & 0x3f; b[i + 2] = 0x80 | r >> 6 & 0x3f; b[i + 3] = 0x80 | r & 0x3f;
    return 4;
  }

  // decodeRune decodes the rune at b[i] as Go's utf8.DecodeRune does:
  // [rune, width], and [0xFFFD, 1] for a byte that starts no valid rune.
  function decodeRune(b, i) {
    const n = b.length - i, c0 = b[i];
    if (c0 < 0x80) return [c0, 1];
    const bad = [0xfffd, 1];
    const cont = (k, lo, hi) => k < n && b[i + k] >= lo && b[i + k] <= hi;
    if (c0 >= 0xc2 && c0 <= 0xdf) return cont(1, 0x80, 0xbf) ? [(c0 & 0x1f) << 6 | b[i + 1] & 0x3f, 2] : bad;
    if (c0 >= 0xe0 && c0 <= 0xef) {
      const lo = c0 === 0xe0 ? 0xa0 : 0x80, hi = c0 === 0xed ? 0x9f : 0xbf;
      return cont(1, lo, hi) && cont(2, 0x80, 0xbf) ? [(c0 & 0x0f) << 12 | (b[i + 1] & 0x3f) << 6 | b[i + 2] & 0x3f, 3] : bad;
    }
    if (c0 >= 0xf0 && c0 <= 0xf4) {
      const lo = c0 === 0xf0 ? 0x90 : 0x80, hi = c0 === 0xf4 ? 0x8f : 0xbf;
      return cont(1, lo, hi) && cont(2, 0x80, 0xbf) && cont(3, 0x80, 0xbf)
        ? [(c0 & 0x07) << 18 | (b[i + 1] & 0x3f) << 12 | (b[i + 2] & 0x3f) << 6 | b[i + 3] & 0x3f, 4] : bad;
    }
    return bad;
  }

  function runesOf(b) { // Go's bytes.Runes
    const out = [];
    for (let i = 0; i < b.length;) { const [r, w] = decodeRune(b, i); out.push(r); i += w; }
    return out;
  }

  function readVarint(b, st) {
    let x = 0, mul = 1, c;
    do { c = b[st.i++]; x += (c & 0x7f) * mul; mul *= 128; } while (c & 0x80);
    return x;
  }

  // readSet reads a count and that many deltas.
  function readSet(b, st) {
    const out = [];
    for (let j = 0, k = readVarint(b, st), v = 0; j < k; j++) { v += readVarint(b, st); out.push(v); }
    return out;
  }

  // ------------------------------------------------------------- analysis

  // Analysis runs the index's analyzers (internal/search/analysis.go) from
  // the data in the manifest: the unicode tokenizer (a DFA over word-break
  // classes), then the possessive filter, lower case, French elision,
  // accent folding, stop words and the Porter stemmer (with flyFilter's
  // final y); for French text,
  // French stop words too and then the French light stemmer.
  class Analysis {
    constructor(data) {
      this.syms = data.symbols;
      this.next = Int32Array.from(data.next);
      this.accept = new Uint8Array(this.next.length / this.syms);
      for (const s of data.accept) this.accept[s] = 1;
      this.marks = new Uint8Array(this.syms);
      for (const s of data.marks) this.marks[s] = 1;
      this.regional = new Uint8Array(this.syms);
      for (const s of data.regional) this.regional[s] = 1;
      this.bmp = new Uint8Array(0x10000);
      this.astral = []; // [lo, hi, sym]
      for (let i = 0, end = -1; i < data.classes.length; i += 3) {
        const lo = end + 1 + data.classes[i], hi = lo + data.classes[i + 1], sym = data.classes[i + 2];
        end = hi;
        for (let r = lo; r <= Math.min(hi, 0xffff); r++) this.bmp[r] = sym;
        if (hi > 0xffff) this.astral.push([Math.max(lo, 0x10000), hi, sym]);
      }
      this.lower = new Map();
      for (let i = 0, start = 0; i < data.lower.length; i += 4) {
        start += data.lower[i];
        for (let k = 0; k < data.lower[i + 1]; k++) {
          const r = start + k * data.lower[i + 2];
          this.lower.set(r, r + data.lower[i + 3]);
        }
      }
      this.stop = new Set(data.stop);
      this.stopFr = new Set([...data.stop, ...data.stop_fr]);
      this.articles = new Set(data.articles);
      this.folds = new Map();
      for (const [to, deltas] of Object.entries(data.fold)) {
        const cps = Array.from(to, (c) => c.codePointAt(0));
        let r = 0;
        for (const d of deltas) { r += d; this.folds.set(r, cps); }
      }
      this.letterLo = []; this.letterHi = [];
      for (let i = 0, end = -1; i < data.letters.length; i += 2) {
        const lo = end + 1 + data.letters[i];
        end = lo + data.letters[i + 1];
        this.letterLo.push(lo); this.letterHi.push(end);
      }
    }

    // isLetter is Go's unicode.IsLetter.
    isLetter(r) {
      let lo = 0, hi = this.letterLo.length - 1;
      while (lo <= hi) {
        const m = (lo + hi) >> 1;
        if (r < this.letterLo[m]) hi = m - 1; else if (r > this.letterHi[m]) lo = m + 1; else return true;
      }
      return false;
    }

    // fold maps code points through the accent-folding table.
    fold(cps) {
      const out = [];
      for (const c of cps) { const f = this.folds.get(c); if (f) out.push(...f); else out.push(c); }
      return out;
    }

    foldString(s) { return String.fromCodePoint(...this.fold(Array.from(s, (c) => c.codePointAt(0)))); }

    // elide is bleve's elision filter with the French articles: at the
    // first apostrophe (' or ’) after an article, the article and the
    // apostrophe go.
    elide(b) {
      for (let i = 0; i < b.length;) {
        const [r, w] = decodeRune(b, i);
        if (r === 0x27 || r === 0x2019) {
          let prefix = '';
          for (let k = 0; k < i; k++) prefix += String.fromCharCode(b[k]);
          if (this.articles.has(prefix)) return b.subarray(i + w);
        }
        i += w;
      }
      return b;
    }

    sym(r) {
      if (r < 0x10000) return this.bmp[r];
      let lo = 0, hi = this.astral.length - 1;
      while (lo <= hi) {
        const m = (lo + hi) >> 1, e = this.astral[m];
        if (r < e[0]) hi = m - 1; else if (r > e[1]) lo = m + 1; else return e[2];
      }
      return 0;
    }

    toLower(r) { return this.lower.get(r) ?? r; }

    // tokenize returns the words bleve's unicode tokenizer keeps, with
    // their positions and UTF-16 offsets in text.
    tokenize(text) {
      const cps = [], offs = [];
      for (let i = 0; i < text.length;) {
        const r = text.codePointAt(i);
        cps.push(r >= 0xd800 && r <= 0xdfff ? 0xfffd : r);
        offs.push(i);
        i += r > 0xffff ? 2 : 1;
      }
      offs.push(text.length);
      const syms = cps.map((r) => this.sym(r));
      const out = [];
      let pos = 1;
      for (let i = 0; i < cps.length;) {
        // The longest word that starts here.
        let state = 1, best = 0;
        for (let k = i; k < cps.length; k++) {
          state = this.next[state * this.syms + syms[k]];
          if (!state) break;
          if (this.accept[state]) best = k - i + 1;
        }
        if (best) {
          out.push({ word: text.slice(offs[i], offs[i + best]), pos: pos++, start: offs[i], end: offs[i + best] });
          i += best;
          continue;
        }
        // No word: skip what segment's scanner skips (see wordTable.skip in
        // internal/search/words.go).
        let n = 1;
        if (this.regional[syms[i]]) {
          while (i + n < cps.length && (this.regional[syms[i + n]] || this.marks[syms[i + n]])) n++;
        } else if (this.marks[syms[i]] || (cps[i] < 0x80 && (cps[i] < 0x0a || cps[i] > 0x0d))) {
          while (i + n < cps.length && this.marks[syms[i + n]]) n++;
        }
        i += n;
      }
      return out;
    }

    // term runs the token filters on one word, in French or English: the
    // term, or null for a stop word.
    term(word, french) {
      // Possessive: a trailing 's, ’s or ＇s goes.
      let cps = Array.from(word, (c) => c.codePointAt(0));
      const n = cps.length;
      if (n >= 2 && (cps[n - 1] === 0x73 || cps[n - 1] === 0x53) && (cps[n - 2] === 0x27 || cps[n - 2] === 0x2019 || cps[n - 2] === 0xff07)) {
        cps = cps.slice(0, n - 2);
      }
      const bytes = this.elide(this.lowerBytes(encoder.encode(String.fromCodePoint(...cps))));
      let folded = runesOf(bytes);
      if (bytes.some((b) => b >= 0x80)) folded = this.fold(folded);
      if ((french ? this.stopFr : this.stop).has(String.fromCodePoint(...folded))) return null;
      let t = fly(stem(folded));
      if (french) t = frenchStem(t, this);
      return String.fromCodePoint(...t);
    }

    // lowerBytes is bleve's lowercase filter, byte for byte, including
    // what it does when a lower-case letter is shorter in UTF-8 than its
    // capital (it leaves the bytes after it where they were).
    lowerBytes(s) {
      let i = 0, j = 0;
      while (i < s.length) {
        let r = s[i], wid = 1;
        if (r >= 0x80) [r, wid] = decodeRune(s, i);
        let l = this.toLower(r);
        if (l === r) { i += wid; j += wid; continue; }
        if (l === 0x3c3 && i + 2 === s.length) l = 0x3c2;
        const lwid = runeLen(l);
        if (lwid > wid) { // bytes.ToLower of the rest
          const rest = [];
          for (let k = i; k < s.length;) {
            const [rr, w] = decodeRune(s, k);
            const lr = this.toLower(rr), buf = [];
            putRune(buf, 0, lr);
            rest.push(...buf);
            k += w;
          }
          return Uint8Array.from([...s.subarray(0, j), ...rest]);
        }
        putRune(s, j, l);
        i += wid; j += lwid;
      }
      return s.subarray(0, j);
    }

    // analyze returns the terms of text with positions and offsets, in
    // French or English.
    analyze(text, french) {
      const out = [];
      for (const t of this.tokenize(text)) {
        const term = this.term(t.word, french);
        if (term !== null) out.push({ term, pos: t.pos, start: t.start, end: t.end });
      }
      return out;
    }

    // goLower is strings.ToLower.
    goLower(s) { return String.fromCodePoint(...Array.from(s, (c) => this.toLower(c.codePointAt(0)))); }
  }

  // stem is go-porterstemmer's StemWithoutLowerCasing, on code points.
  const cp = (s) => Array.from(s, (c) => c.codePointAt(0));
  const isCons = (s, i) => {
    switch (s[i]) {
      case 97: case 101: case 105: case 111: case 117: return false;
      case 121: return i === 0 ? true : !isCons(s, i - 1);
      default: return true;
    }
  };
  function measure(s) {
    const n = s.length;
    let m = 0, i = 0;
    if (n === 0) return 0;
    while (isCons(s, i)) { i++; if (i >= n) return m; }
    outer: while (i < n) {
      while (!isCons(s, i)) { i++; if (i >= n) break outer; }
      while (isCons(s, i)) { i++; if (i >= n) { m++; break outer; } }
      m++;
    }
    return m;
  }
  function hasSuffix(s, suf) {
    const n = s.length - 1, k = suf.length - 1;
    if (n <= k || s[n] !== suf[k]) return false;
    for (let i = 0; i < k; i++) if (suf[i] !== s[n - k + i]) return false;
    return true;
  }
  const containsVowel = (s) => { for (let i = 0; i < s.length; i++) if (!isCons(s, i)) return true; return false; };
  const doubleCons = (s) => s.length >= 2 && s[s.length - 1] === s[s.length - 2] && isCons(s, s.length - 1);
  const cvc = (s) => s.length >= 3 && isCons(s, s.length - 3) && !isCons(s, s.length - 2) && isCons(s, s.length - 1);
  const C = (ch) => ch.codePointAt(0);
  const [cE, cI, cL, cS, cZ, cW, cX, cY, cT] = ['e', 'i', 'l', 's', 'z', 'w', 'x', 'y', 't'].map(C);
  const S = (x) => cp(x);
  const sfx = {};
  for (const w of ['sses', 'ies', 'ss', 's', 'eed', 'ed', 'ing', 'at', 'bl', 'iz']) sfx[w] = S(w);

  function step1b(s) {
    const n = s.length;
    if (hasSuffix(s, sfx.eed)) {
      if (measure(s.slice(0, n - 3)) > 0) return s.slice(0, n - 1);
      return s;
    }
    for (const [suf, len] of [[sfx.ed, 2], [sfx.ing, 3]]) {
      if (!hasSuffix(s, suf)) continue;
      const sub = s.slice(0, n - len);
      if (!containsVowel(sub)) return s;
      const c = sub[sub.length - 1];
      let r;
      if (hasSuffix(sub, sfx.at) || hasSuffix(sub, sfx.bl) || hasSuffix(sub, sfx.iz)) {
        r = s.slice(0, n - len + 1);
        if (len === 3) r[r.length - 1] = cE;
        return r;
      }
      if (c !== cL && c !== cS && c !== cZ && doubleCons(sub)) return sub.slice(0, sub.length - 1);
      if (measure(sub) === 1 && cvc(sub) && c !== cW && c !== cX && c !== cY) {
        r = s.slice(0, n - len + 1);
        r[r.length - 1] = cE;
        return r;
      }
      return sub;
    }
    return s;
  }

  // Steps 2 to 4: the first suffix that matches decides; [suffix, minimum
  // measure of the stem, what to do].
  const rules = (list) => list.map(([suf, min, fn]) => [S(suf), min, fn]);
  const cut = (k) => (s) => s.slice(0, s.length - k);
  const setCut = (at, ch, k) => (s) => { const r = s.slice(); r[r.length - at] = C(ch); return r.slice(0, r.length - k); };
  const step2 = rules([
    ['ational', 0, setCut(5, 'e', 4)], ['tional', 0, cut(2)], ['enci', 0, setCut(1, 'e', 0)], ['anci', 0, setCut(1, 'e', 0)],
    ['izer', 0, cut(1)], ['bli', 0, setCut(1, 'e', 0)], ['alli', 0, cut(2)], ['entli', 0, cut(2)], ['eli', 0, cut(2)],
    ['ousli', 0, cut(2)], ['ization', 0, setCut(5, 'e', 4)], ['ation', 0, setCut(3, 'e', 2)], ['ator', 0, setCut(2, 'e', 1)],
    ['alism', 0, cut(3)], ['iveness', 0, cut(4)], ['fulness', 0, cut(4)], ['ousness', 0, cut(4)], ['aliti', 0, cut(3)],
    ['iviti', 0, setCut(3, 'e', 2)], ['biliti', 0, (s) => { const r = s.slice(); r[r.length - 5] = cL; r[r.length - 4] = cE; return r.slice(0, r.length - 3); }],
    ['logi', 0, cut(1)],
  ]);
  const step3 = rules([
    ['icate', 0, cut(3)], ['ative', 0, cut(5)], ['alize', 0, cut(3)], ['iciti', 0, cut(3)], ['ical', 0, cut(2)],
    ['ful', 0, cut(3)], ['ness', 0, cut(4)],
  ]);
  const step4 = rules(['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate',
    'iti', 'ous', 'ive', 'ize'].map((w) => [w, 1, cut(w.length)]));
  const ion = step4[11][0]; // after "ion", only an s or a t may go

  function applyRules(s, list) {
    for (const [suf, min, fn] of list) {
      if (!hasSuffix(s, suf)) continue;
      const sub = s.slice(0, s.length - suf.length);
      if (measure(sub) <= min) return s;
      if (suf === ion) {
        const c = sub[sub.length - 1];
        if (c !== cS && c !== cT) return s;
      }
      return fn(s);
    }
    return s;
  }

  function stem(s) {
    if (s.length <= 2) return s;
    // Step 1a.
    if (hasSuffix(s, sfx.sses) || hasSuffix(s, sfx.ies)) s = s.slice(0, s.length - 2);
    else if (hasSuffix(s, sfx.ss)) { /* keep */ } else if (hasSuffix(s, sfx.s)) s = s.slice(0, s.length - 1);
    s = step1b(s);
    // Step 1c.
    const n = s.length;
    if (n >= 2 && containsVowel(s.slice(0, n - 1))) {
      if (s[n - 1] === cY) { s = s.slice(); s[n - 1] = cI; } else if (s[n - 1] === 0x59) { s = s.slice(); s[n - 1] = 0x49; }
    }
    s = applyRules(s, step2);
    s = applyRules(s, step3);
    s = applyRules(s, step4);
    // Step 5a.
    if (s[s.length - 1] === cE) {
      const sub = s.slice(0, s.length - 1), m = measure(sub);
      if (m > 1) s = sub;
      else if (m === 1) {
        const c = sub[sub.length - 1];
        if (!(cvc(sub) && c !== cW && c !== cX && c !== cY)) s = sub;
      }
    }
    // Step 5b.
    if (s.length > 2 && s[s.length - 2] === cL && s[s.length - 1] === cL && measure(s.slice(0, s.length - 1)) > 1) {
      s = s.slice(0, s.length - 1);
    }
    return s;
  }

  // fly is flyFilter in internal/search/analysis.go: a final y after a
  // letter other than a vowel, not the first letter, becomes i ("fly",
  // "flying" and "flies" are one term, "fli").
  function fly(s) {
    const n = s.length;
    if (n >= 3 && s[n - 1] === cY && !"aeiouy".includes(String.fromCodePoint(s[n - 2]))) {
      s = s.slice();
      s[n - 1] = cI;
    }
    return s;
  }

  // frenchStem is bleve's French light stemmer (after Lucene's
  // FrenchLightStemmer), on code points, line by line.
  function frenchStem(input, an) {
    const ends = (s, suf) => {
      const t = cp(suf);
      if (t.length > s.length) return false;
      for (let i = 0; i < t.length; i++) if (s[s.length - t.length + i] !== t[i]) return false;
      return true;
    };
    const set = (s, i, ch) => { s[i] = C(ch); };
    let s = input.slice();
    let n = s.length;
    if (n > 5 && s[n - 1] === cX) {
      if (s[n - 3] === C('a') && s[n - 2] === C('u') && s[n - 4] !== cE) set(s, n - 2, 'l');
      s = s.slice(0, n - 1); n = s.length;
    }
    if (n > 3 && s[n - 1] === cX) { s = s.slice(0, n - 1); n = s.length; }
    if (n > 3 && s[n - 1] === cS) { s = s.slice(0, n - 1); n = s.length; }
    if (n > 9 && ends(s, 'issement')) { s = s.slice(0, n - 6); n = s.length; set(s, n - 1, 'r'); return frenchNorm(s, an); }
    if (n > 8 && ends(s, 'issant')) { s = s.slice(0, n - 4); n = s.length; set(s, n - 1, 'r'); return frenchNorm(s, an); }
    if (n > 6 && ends(s, 'ement')) {
      s = s.slice(0, n - 4); n = s.length;
      if (n > 3 && ends(s, 'ive')) { s = s.slice(0, n - 1); n = s.length; set(s, n - 1, 'f'); }
      return frenchNorm(s, an);
    }
    if (n > 11 && ends(s, 'ficatrice')) { s = s.slice(0, n - 5); n = s.length; set(s, n - 2, 'e'); set(s, n - 1, 'r'); return frenchNorm(s, an); }
    if (n > 10 && ends(s, 'ficateur')) { s = s.slice(0, n - 4); n = s.length; set(s, n - 2, 'e'); set(s, n - 1, 'r'); return frenchNorm(s, an); }
    if (n > 9 && ends(s, 'catrice')) {
      s = s.slice(0, n - 3); n = s.length;
      set(s, n - 4, 'q'); set(s, n - 3, 'u'); set(s, n - 2, 'e');
      return frenchNorm(s, an);
    }
    if (n > 8 && ends(s, 'cateur')) {
      s = s.slice(0, n - 2); n = s.length;
      set(s, n - 4, 'q'); set(s, n - 3, 'u'); set(s, n - 2, 'e'); set(s, n - 1, 'r');
      return frenchNorm(s, an);
    }
    if (n > 8 && ends(s, 'atrice')) { s = s.slice(0, n - 4); n = s.length; set(s, n - 2, 'e'); set(s, n - 1, 'r'); return frenchNorm(s, an); }
    if (n > 7 && ends(s, 'ateur')) { s = s.slice(0, n - 3); n = s.length; set(s, n - 2, 'e'); set(s, n - 1, 'r'); return frenchNorm(s, an); }
    if (n > 6 && ends(s, 'trice')) { s = s.slice(0, n - 1); n = s.length; set(s, n - 3, 'e'); set(s, n - 2, 'u'); set(s, n - 1, 'r'); }
    if (n > 5 && ends(s, 'ième')) return frenchNorm(s.slice(0, n - 4), an);
    if (n > 7 && ends(s, 'teuse')) { s = s.slice(0, n - 2); n = s.length; set(s, n - 1, 'r'); return frenchNorm(s, an); }
    if (n > 6 && ends(s, 'teur')) { s = s.slice(0, n - 1); n = s.length; set(s, n - 1, 'r'); return frenchNorm(s, an); }
    if (n > 5 && ends(s, 'euse')) return frenchNorm(s.slice(0, n - 2), an);
    if (n > 8 && ends(s, 'ère')) { s = s.slice(0, n - 1); n = s.length; set(s, n - 2, 'e'); return frenchNorm(s, an); }
    if (n > 7 && ends(s, 'ive')) { s = s.slice(0, n - 1); n = s.length; set(s, n - 1, 'f'); return frenchNorm(s, an); }
    if (n > 4 && (ends(s, 'folle') || ends(s, 'molle'))) { s = s.slice(0, n - 2); n = s.length; set(s, n - 1, 'u'); return frenchNorm(s, an); }
    if (n > 9 && ends(s, 'nnelle')) return frenchNorm(s.slice(0, n - 5), an);
    if (n > 9 && ends(s, 'nnel')) return frenchNorm(s.slice(0, n - 3), an);
    if (n > 4 && ends(s, 'ète')) { s = s.slice(0, n - 1); n = s.length; set(s, n - 2, 'e'); }
    if (n > 8 && ends(s, 'ique')) { s = s.slice(0, n - 4); n = s.length; }
    if (n > 8 && ends(s, 'esse')) return frenchNorm(s.slice(0, n - 3), an);
    if (n > 7 && ends(s, 'inage')) return frenchNorm(s.slice(0, n - 3), an);
    if (n > 9 && ends(s, 'isation')) {
      s = s.slice(0, n - 7); n = s.length;
      if (n > 5 && ends(s, 'ual')) set(s, n - 2, 'e');
      return frenchNorm(s, an);
    }
    if (n > 9 && ends(s, 'isateur')) return frenchNorm(s.slice(0, n - 7), an);
    if (n > 8 && ends(s, 'ation')) return frenchNorm(s.slice(0, n - 5), an);
    if (n > 8 && ends(s, 'ition')) return frenchNorm(s.slice(0, n - 5), an);
    return frenchNorm(s, an);
  }

  function frenchNorm(s, an) {
    const accents = { 0xe0: 'a', 0xe1: 'a', 0xe2: 'a', 0xf4: 'o', 0xe8: 'e', 0xe9: 'e', 0xea: 'e', 0xf9: 'u', 0xfb: 'u', 0xee: 'i', 0xe7: 'c' };
    if (s.length > 4) {
      for (let i = 0; i < s.length; i++) {
        if (accents[s[i]]) s[i] = C(accents[s[i]]);
        // As bleve does, after each character: drop every letter that
        // repeats the one before it.
        let ch = s[0];
        for (let j = 1; j < s.length; j++) {
          if (s[j] === ch && an.isLetter(ch)) { s.splice(j, 1); j--; } else ch = s[j];
        }
      }
    }
    if (s.length > 4 && s[s.length - 2] === cI && s[s.length - 1] === cE) s = s.slice(0, s.length - 2);
    if (s.length > 4) {
      if (s[s.length - 1] === C('r')) s = s.slice(0, s.length - 1);
      if (s[s.length - 1] === cE) s = s.slice(0, s.length - 1);
      if (s[s.length - 1] === cE) s = s.slice(0, s.length - 1);
      if (s[s.length - 1] === s[s.length - 2] && an.isLetter(s[s.length - 1])) s = s.slice(0, s.length - 1);
    }
    return s;
  }

  // ---------------------------------------------------------------- query

  class QueryError extends Error {}

  const isSpace = (c) => /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c);
  const blank = (s) => Array.from(s).every(isSpace); // strings.TrimSpace(s) == ""
  const goQuote = (s) => JSON.stringify(s);
  const utf8Len = (s) => encoder.encode(s).length;

  // goParseFloat tells a number strconv.ParseFloat accepts: its value, or
  // NaN with ok false.
  function goParseFloat(s) {
    if (/^[+-]?(inf|infinity)$/i.test(s)) return { ok: true, v: s[0] === '-' ? -Infinity : Infinity };
    if (/^[+-]?nan$/i.test(s)) return { ok: true, v: NaN };
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
      const v = Number(s);
      return Number.isFinite(v) ? { ok: true, v } : { ok: false };
    }
    const m = /^([+-]?)0[xX](_?[0-9a-fA-F](?:_?[0-9a-fA-F])*)?(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
    if (m && (m[2] || m[3])) {
      const mant = parseInt((m[2] || '0').replace(/_/g, '') + (m[3] || ''), 16) / 16 ** (m[3] || '').length;
      const v = (m[1] === '-' ? -1 : 1) * mant * 2 ** Number(m[4]);
      return Number.isFinite(v) ? { ok: true, v } : { ok: false };
    }
    return { ok: false };
  }

  // NAME starts the terms that are names (search.NameTermPrefix).
  const NAME = '\u0001';

  // COMMON is search.CommonWordsMsg.
  const COMMON = 'the words typed are too common to search for; add a less common word, or filter by type, country, vendor, status or tag';

  // parseQuery is search.ParseQuery: the same syntax, the same refusals.
  // It returns {clauses, common}; a clause is {kind (word, prefix, fuzzy,
  // phrase, any), exclude, raw, terms (English), french (or null), optional,
  // any}.
  function parseQuery(text, an, limits) {
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
      throw new QueryError('the query is not valid UTF-8 text');
    }
    const n = utf8Len(text);
    if (n > limits.query) throw new QueryError(`the query is ${n} bytes long; keep it under ${limits.query}`);
    if (/[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]/.test(text)) throw new QueryError('the query contains a control character; remove it');
    // items: the clauses in order, null for a stop word, OR for each OR.
    // « », “ ” and „ quote a phrase as " does, and one against a " is the
    // same quote twice (typographicQuotes in Go).
    const OR = {}, items = [];
    let s = text.replace(/"[«»“”„]|[«»“”„]"|[«»“”„]/g, '"'), plain = true;
    for (;;) {
      let k = 0;
      while (k < s.length && isSpace(s[k])) k++;
      s = s.slice(k);
      if (s === '') break;
      if (s[0] === '|') { items.push(OR); s = s.slice(1); plain = false; continue; }
      let exclude = false, signed = false;
      if ((s[0] === '-' || s[0] === '+') && s.length > 1 && !/[\t\n\v\f\r ]/.test(s[1])) {
        exclude = s[0] === '-'; signed = true;
        s = s.slice(1);
        plain = false;
      }
      if (s[0] === '"') {
        plain = false;
        const end = s.indexOf('"', 1);
        let phrase;
        if (end < 0) { phrase = s.slice(1); s = ''; } else { phrase = s.slice(1, end); s = s.slice(end + 1); }
        const c = analysedClause(phrase, an);
        if (c) { c.kind = kindOf(c); c.exclude = exclude; }
        items.push(c);
        continue;
      }
      let end = 0;
      while (end < s.length && !isSpace(s[end]) && s[end] !== '"' && s[end] !== '|') end++;
      const word = s.slice(0, end);
      s = s.slice(end);
      if (word === '') continue; // a + or - right before a |
      if (word === 'OR' && !signed) { items.push(OR); plain = false; continue; }
      if (word.endsWith(':') && s.startsWith('"') && fieldName(word.slice(0, -1), an)) {
        throw new QueryError(`field names (${word}) are not supported: search the words alone, and narrow with the filters (type, country, vendor, restricted, since and until for dates)`);
      }
      if (word === 'NOT' && !signed) throw new QueryError('NOT is not an operator here: put - before a word to leave it out (police -drone)');
      const c = parseWord(word, an, limits);
      if (c) c.exclude = exclude;
      if (c && (c.kind === 'prefix' || c.kind === 'fuzzy')) plain = false;
      items.push(c);
    }
    // Join the clauses on either side of each OR.
    const groups = [];
    let joined = false;
    items.forEach((it, i) => {
      if (it === OR) { joined = i > 0 && items[i - 1] !== OR; return; }
      if (joined) groups[groups.length - 1].push(it); else groups.push([it]);
      joined = false;
    });
    const clauses = [];
    let leaves = 0;
    for (const g of groups) {
      const any = g.filter(Boolean);
      if (any.length <= 1) { clauses.push(...any); leaves += any.length; continue; }
      for (const c of any) {
        if (c.exclude) {
          const raw = c.kind === 'phrase' ? `"${c.raw}"` : c.raw; // as typed
          throw new QueryError(`an excluded word or phrase (-${raw}) cannot be a side of OR; exclude it outside the OR: a OR b -${raw}`);
        }
        c.optional = false;
      }
      clauses.push({ kind: 'any', exclude: false, raw: 'OR', terms: [], french: null, optional: false, any });
      leaves += any.length;
    }
    if (leaves > limits.clauses) {
      throw new QueryError(`the query has ${leaves} words and phrases; use at most ${limits.clauses}`);
    }
    // A query of plain words raises the entries it names, and those whose
    // title has its words in order (search.Query's Names and Title).
    const names = [], title = [];
    if (plain && clauses.length) {
      for (const french of [false, true]) {
        const k = an.analyze(text, french).map((t) => t.term).join(' ');
        if (k !== '' && !names.includes(k)) names.push(k);
        const t = phraseTerms(text, an, french);
        if (t.length > 1 && !title.some((o) => sameList(o, t))) title.push(t);
      }
    }
    let common = false;
    if (clauses.length === 0 && !blank(text)) {
      if (!Array.from(text).some((c) => (an.isLetter ? an.isLetter(c.codePointAt(0)) : /\p{L}/u.test(c)) || /\p{Nd}/u.test(c))) {
        throw new QueryError('the query has no letters or digits to search for; type a word');
      }
      common = true;
    }
    return { clauses, common, names, title };
  }

  // looseArticle is a French article elision cuts, typed as a word of its
  // own before another ("conseil d etat"): joinArticles joins it to that
  // word with an apostrophe, as the server's joinArticles does.
  const looseArticle = /(^|[^\p{L}\p{N}'’])([LlDdJjMmNnSsTtCc]|[Qq][Uu]|[Jj][Uu][Ss][Qq][Uu]|[Qq][Uu][Oo][Ii][Qq][Uu]|[Ll][Oo][Rr][Ss][Qq][Uu]|[Pp][Uu][Ii][Ss][Qq][Uu])[ \t\n\f\r]+(\p{L})/gu;
  const joinArticles = (text) => text.replace(looseArticle, "$1$2'$3");

  // phraseTerms: the terms in order, with '' in the place of stop words.
  function phraseTerms(text, an, french) {
    const ts = an.analyze(joinArticles(text), french);
    if (ts.length === 0) return [];
    const first = ts[0].pos, out = new Array(ts[ts.length - 1].pos - first + 1).fill('');
    for (const t of ts) out[t.pos - first] = t.term;
    return out;
  }

  const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

  // analysedClause is text analysed both ways, or null for stop words.
  function analysedClause(text, an) {
    const en = phraseTerms(text, an, false), fr = phraseTerms(text, an, true);
    const c = { kind: 'word', exclude: false, raw: text, terms: en, french: null, optional: false, any: null };
    if (!en.length && !fr.length) return null;
    if (!en.length || !fr.length) { c.terms = en.length ? en : fr; c.optional = true; return c; }
    if (!sameList(en, fr)) c.french = fr;
    return c;
  }

  const kindOf = (c) => (c.terms.length > 1 || (c.french && c.french.length > 1) ? 'phrase' : 'word');

  // As Go's fieldNames: other engines' field prefixes (title:police).
  const fieldNames = ['title', 'body', 'summary', 'tag', 'tags', 'type', 'country', 'region', 'vendor', 'status', 'id', '_id', '_all', 'lang', 'short', 'names'];

  // As Go's uriSchemes: an address's or identifier's scheme, not a field.
  const uriSchemes = ['mailto', 'tel', 'sms', 'geo', 'doi', 'urn', 'isbn', 'issn', 'arxiv', 'http', 'https', 'ftp', 'file', 'data'];
  // As Go's fieldName: one of fieldNames, or any name of Latin letters
  // alone but an address's scheme.
  const fieldName = (name, an) => fieldNames.includes(an.goLower(name)) ||
    (/^\p{Script=Latin}+$/u.test(name) && !uriSchemes.includes(an.goLower(name)));

  // As Go's fieldQuery: one of fieldNames and anything after the colon, or
  // another field's name and a value holding a letter or a digit that is
  // not a URL's "//…".
  function fieldQuery(word, an) {
    const colon = word.indexOf(':');
    if (colon < 0 || colon === word.length - 1) return false;
    const name = word.slice(0, colon);
    const rest = word.slice(colon + 1);
    if (fieldNames.includes(an.goLower(name))) return true;
    return fieldName(name, an) && !rest.startsWith('/') && /[\p{L}\p{Nd}]/u.test(rest);
  }

  function parseWord(word, an, limits) {
    if (fieldQuery(word, an)) {
      throw new QueryError(`field names (${word}) are not supported: search the words alone, and narrow with the filters (type, country, vendor, restricted, since and until for dates)`);
    }
    // A boost is a ^ and a number, after a word or a phrase ("a b"^2).
    const caret = word.lastIndexOf('^');
    if (caret >= 0 && /^[0-9.]+$/.test(word.slice(caret + 1)) && (caret === 0 || /[\p{L}\p{Nd}]/u.test(word.slice(0, caret)))) {
      throw new QueryError(`boosts (${word}) are not supported: every word counts the same; remove the ^`);
    }
    if (word.length > 1 && word[0] === '/' && word.endsWith('/')) {
      throw new QueryError(`regular expressions (${word}) are not supported; search for the words themselves`);
    }
    if (word.replace(/[?.!,;:]+$/, '').includes('?')) {
      throw new QueryError(`the ? wildcard (${word}) is not supported; use a trailing * for words that start with some letters`);
    }
    word = word.replace(/[.,;:!?]+$/, '');
    let fuzz = -1;
    const t = word.lastIndexOf('~');
    if (t >= 0) {
      const num = word.slice(t + 1);
      word = word.slice(0, t);
      if (num === '' || num === '1') fuzz = 1;
      else if (num === '0') fuzz = 0;
      else {
        // As in Go's parseWord: ~-1, ~0.5, ~NaN and the like are refused.
        const f = goParseFloat(num);
        if (f.ok && f.v > 1) throw new QueryError(`fuzziness above 1 (${word}~${num}) is not allowed; ~1 allows one typo`);
        throw new QueryError(`${goQuote(word + '~' + num)}: write ~1 after a word to allow one typo`);
      }
    }
    if (word.startsWith('*')) throw new QueryError(`leading wildcards (${word}) are not supported; type the first letters of the word`);
    const star = word.indexOf('*');
    if (star >= 0) {
      if (star !== word.length - 1) throw new QueryError(`a * may only end a word (${word}); write the start of the word, then *`);
      if (fuzz >= 0) throw new QueryError(`${word}: a word cannot be both a prefix (*) and fuzzy (~)`);
      // Counted once folded, as in Go: a combining accent is no letter of its own.
      const folded = an.foldString(an.goLower(word.slice(0, star)));
      if (Array.from(folded).length < limits.prefix || !/^[\p{L}\p{Nd}]*$/u.test(folded)) {
        throw new QueryError(`a prefix needs at least ${limits.prefix} letters before the * (${word})`);
      }
      // As in Go's parseWord: the index holds folded stems ("surveillance"
      // as "surveil"), so a prefix also matches terms that start with its
      // stem in either language.
      // A stem whose letters stemming changed ("fly" → "fli") is matched
      // whole (exact): as a prefix it would match other words (flight).
      const terms = [folded], exact = [];
      for (const french of [false, true]) {
        const st = an.analyze(word.slice(0, star), french);
        if (st.length !== 1) continue;
        const t = st[0].term;
        if (terms.includes(t) || exact.includes(t) || t.startsWith(folded)) continue;
        if (!folded.startsWith(t)) exact.push(t);
        else if (Array.from(t).length >= limits.prefix) terms.push(t);
      }
      // As in Go: a whole term a kept prefix matches already is dropped.
      const whole = exact.filter((x) => !terms.some((t) => x.startsWith(t)));
      return { kind: 'prefix', exclude: false, raw: word.slice(0, star), terms, exact: whole, french: null, optional: false, any: null };
    }
    const c = analysedClause(word, an);
    if (!c) return null;
    c.kind = kindOf(c);
    if (fuzz === 1 && c.kind === 'word') c.kind = 'fuzzy';
    return c;
  }

  // ------------------------------------------------------------- requests

  const FACETS = ['type', 'country', 'vendor', 'status'];
  const SORTS = ['relevance', 'date', '-date', 'title'];

  // asciiLower lowers A-Z only, as the server's asciiLower: filter values
  // and names are compared in ASCII.
  const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

  // readParams reads a request from URL parameters. Strict, it is
  // ParseParams: unknown parameters and malformed numbers are refused; the
  // page itself ignores parameters it does not know.
  function readParams(params, strict) {
    const list = (k) => params.getAll(k).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    const r = { q: params.get('q') || '', from: 0, size: 10, restricted: false, since: '', until: '', sort: params.get('sort') || 'relevance', tag: list('tag') };
    if (strict) {
      for (const k of params.keys()) {
        if (!['q', 'type', 'country', 'vendor', 'status', 'tag', 'restricted', 'since', 'until', 'sort', 'from', 'size'].includes(k)) {
          throw new QueryError(`unknown parameter ${goQuote(k.length > 40 ? k.slice(0, 40) + '…' : k)}; use q, type, country, vendor, status, tag, restricted, since, until, sort, from and size`);
        }
      }
      for (const k of ['q', 'restricted', 'since', 'until', 'sort', 'from', 'size']) {
        if (params.getAll(k).length > 1) throw new QueryError(`give ${k} once`);
      }
    }
    for (const f of FACETS) r[f] = list(f);
    const restricted = params.get('restricted') || '';
    if (restricted !== '') {
      const low = asciiLower(restricted);
      if (['true', 't', '1', 'yes', 'on'].includes(low)) r.restricted = true;
      else if (strict && !['false', 'f', '0', 'no', 'off'].includes(low)) {
        throw new QueryError(`restricted must be true or false, not ${goQuote(restricted)}`);
      }
    }
    // Dates, as ParseParams reads them; the page leaves out one that is
    // no date, as it leaves out a malformed number.
    for (const k of ['since', 'until']) {
      const v = (params.get(k) || '').trim();
      if (v === '') continue;
      if (dayOf(v) === 0) {
        if (strict) throw new QueryError(`${k} must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not ${goQuote(v.length > 20 ? v.slice(0, 20) + '…' : v)}`);
        continue;
      }
      r[k] = v;
    }
    for (const k of ['from', 'size']) {
      const v = params.get(k);
      if (!v) continue;
      if (!/^[+-]?\d+$/.test(v)) {
        if (strict) throw new QueryError(`${k} must be a whole number, not ${goQuote(v)}`);
        continue;
      }
      r[k] = Number(v);
    }
    if (r.size === 0) {
      if (strict) throw new QueryError('size must be between 1 and 100, not 0');
      r.size = 10;
    }
    return r;
  }

  // dayOf is a date written YYYY, YYYY-MM or YYYY-MM-DD as sort.bin counts
  // days (since 0001-01-01, plus one), its first day; with last, its last
  // day. It is 0 for what is no date: another shape, year 0, month 13,
  // 2023-02-29.
  function dayOf(s, last) {
    const m = /^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$/.exec(s);
    if (!m) return 0;
    const y = Number(m[1]), mo = m[2] ? Number(m[2]) : 0, d = m[3] ? Number(m[3]) : 0;
    const daysIn = (mm) => new Date(Date.UTC(2000, mm, 0)).getUTCDate() - (mm === 2 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0);
    if (y === 0 || (m[2] && (mo < 1 || mo > 12)) || (m[3] && (d < 1 || d > daysIn(mo)))) return 0;
    const t = new Date(0);
    if (last) t.setUTCFullYear(y, mo ? mo - 1 : 11, d || (mo ? daysIn(mo) : 31));
    else t.setUTCFullYear(y, mo ? mo - 1 : 0, d || 1);
    return Math.floor(t.getTime() / 86400000) + 719162 + 1;
  }

  // validate normalises filters and checks bounds, as Request.validate does.
  // known lists the types and statuses there are (the static index's
  // manifest has them); without it, the server checks them.
  function validate(r, limits, known) {
    if (!(r.size >= 1 && r.size <= limits.size)) throw new QueryError(`size must be between 1 and ${limits.size}, not ${r.size}`);
    if (!(r.from >= 0 && r.from + r.size <= limits.from)) {
      throw new QueryError(`from must be between 0 and ${limits.from - r.size} with size ${r.size} (from+size at most ${limits.from}), not ${r.from}; narrow the search instead of paging deeper`);
    }
    // Names are matched in any case, as type's are: sort=DATE is date.
    r.sort = asciiLower(r.sort);
    const sorts = (known && known.sorts) || SORTS;
    if (!sorts.includes(r.sort)) {
      throw new QueryError(`sort must be one of ${sorts.join(', ')}, not ${goQuote(r.sort.length > 20 ? r.sort.slice(0, 20) + '…' : r.sort)}`);
    }
    if (r.since && r.until && dayOf(r.until, true) < dayOf(r.since)) throw new QueryError(`until (${r.until}) is before since (${r.since})`);
    const total = FACETS.reduce((n, f) => n + r[f].length, 0) + r.tag.length;
    if (total > limits.filters) throw new QueryError(`too many filter values (${total}); use at most ${limits.filters}`);
    r.type = r.type.map((t) => {
      let v = t.replace(/s$/, '').toLowerCase();
      if (v === 'agencie') v = 'agency';
      if (known && !known.types.includes(v)) throw new QueryError(`type must be one of ${known.types.join(', ')}, not ${goQuote(t)}`);
      return v;
    });
    r.country = r.country.map((c) => {
      const u = c.replace(/\u0131/g, 'I').replace(/\u017f/g, 'S').toUpperCase(); // strings.ToUpper maps ı and ſ too
      if (!/^[A-Z]{2}$/.test(u)) throw new QueryError(`country must be a two-letter ISO code such as FR, not ${goQuote(c)}`);
      return u;
    });
    // Vendors and tags are slugs, which are lower case: DJI is dji.
    for (const f of ['vendor', 'tag']) {
      r[f] = r[f].map((v) => {
        const low = asciiLower(v);
        if (!/^[a-z0-9-]{1,80}$/.test(low)) throw new QueryError(`${goQuote(v)} is not a slug (letters, digits and -)`);
        return low;
      });
    }
    r.status = r.status.map(asciiLower);
    for (const s of r.status) {
      if (known && !known.statuses.includes(s)) throw new QueryError(`status must be one of ${known.statuses.join(', ')}, not ${goQuote(s)}`);
    }
    return r;
  }

  function toParams(r, extra) {
    const p = new URLSearchParams();
    if (r.q) p.set('q', r.q);
    for (const f of FACETS) if (r[f].length) p.set(f, r[f].join(','));
    if (r.tag.length) p.set('tag', r.tag.join(','));
    if (r.restricted) p.set('restricted', 'true');
    if (r.since) p.set('since', r.since);
    if (r.until) p.set('until', r.until);
    if (r.sort && r.sort !== 'relevance') p.set('sort', r.sort);
    for (const [k, v] of Object.entries(extra || {})) p.set(k, String(v));
    return p;
  }

  // --------------------------------------------------------- static index

  // fetchBytes fetches a file of the static index, inflated. opts are
  // fetch's: the manifest is asked for with cache 'no-cache'.
  async function fetchBytes(url, opts) {
    const res = await fetch(url, opts);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf[0] !== 0x1f || buf[1] !== 0x8b) return buf; // already inflated on the way
    if (typeof DecompressionStream === 'undefined') {
      throw new Error('this browser cannot read the search index; use a newer browser, or the lists and downloads');
    }
    const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // cmp compares strings by code points: the byte order of their UTF-8,
  // which is how the build sorts terms.
  function cmp(a, b) {
    for (let i = 0, j = 0; i < a.length && j < b.length;) {
      const x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1; j += y > 0xffff ? 2 : 1;
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }

  // manifestMaxAge is how long, in milliseconds, a page searches with the
  // manifest it loaded before asking whether it is still the deployed one.
  let manifestMaxAge = 60000;

  class StaticIndex {
    constructor(base) {
      this.base = base;
      this.forget();
    }

    // forget drops every file read of the index, for another version.
    forget() {
      this.shards = new Map();
      this.chunks = new Map();
      this.positions = new Map();
      this.facetData = this.tagData = this.sortData = null;
    }

    // The manifest names the version every other file is fetched under,
    // so it must be the deployed one: a browser may keep files for a
    // while (GitHub Pages allows ten minutes), and an old manifest would
    // fetch the new build's files as the old version's and find the wrong
    // entries. 'no-cache' revalidates it each time it is read: a 304
    // while it has not changed.
    async readManifest() {
      const m = JSON.parse(decoder.decode(await fetchBytes(this.base + 'search/manifest.bin', { cache: 'no-cache' })));
      if (m.format !== 5) {
        // An index this script cannot read: the site was deployed anew
        // and the page (and its script) is older than it.
        const e = new Error(`the site's search index changed (format ${m.format}): reload this page`);
        e.reload = true;
        throw e;
      }
      return m;
    }

    adopt(m) {
      this.m = m;
      this.an = new Analysis(m.analysis);
      this.idf = (df) => 1 + Math.log(m.docs / (df + 1));
      this.readAt = Date.now();
    }

    load() {
      this.ready = this.ready || this.readManifest().then((m) => this.adopt(m));
      return this.ready;
    }

    // current makes sure that a page open for a while searches the
    // deployed index: a deploy since the manifest was read replaces the
    // files its version names, so the manifest is read again (a 304 if it
    // has not changed) and, if it has, what was read of the old one is
    // forgotten. Offline, the old one serves on; an index of a format
    // this script cannot read fails the search, asking for a reload.
    current() {
      // Once it has, every search does: the old index's files are gone.
      if (this.broken) return Promise.reject(this.broken);
      if (Date.now() - this.readAt < manifestMaxAge) return Promise.resolve();
      this.checking = this.checking || this.readManifest().then((m) => {
        if (m.version !== this.m.version) {
          this.forget();
          this.adopt(m);
        }
      }, (e) => {
        if (e.reload) {
          this.broken = e;
          throw e;
        }
      }).finally(() => {
        this.readAt = Date.now();
        this.checking = null;
      });
      return this.checking;
    }

    url(path) { return this.base + 'search/' + path + '?v=' + this.m.version; }

    facets() {
      this.facetData = this.facetData || fetchBytes(this.url('facets.bin')).then((b) => {
        const n = this.m.docs, st = { i: 0 };
        const f = { type: new Uint8Array(n), restricted: new Uint8Array(n), french: new Uint8Array(n), status: new Uint32Array(n),
          country: new Uint32Array(n), vstart: new Uint32Array(n + 1), vendors: [] };
        for (let d = 0; d < n; d++) {
          const x = b[st.i++];
          f.type[d] = x & 3; f.restricted[d] = x >> 2 & 1; f.french[d] = x >> 3 & 1;
          f.status[d] = readVarint(b, st);
          f.country[d] = readVarint(b, st);
          f.vstart[d] = f.vendors.length;
          f.vendors.push(...readSet(b, st));
        }
        f.vstart[n] = f.vendors.length;
        return f;
      });
      return this.facetData;
    }

    // tags returns each document's tags (indexes into the manifest's).
    tags() {
      this.tagData = this.tagData || fetchBytes(this.url('tags.bin')).then((b) => {
        const st = { i: 0 }, out = [];
        for (let d = 0; d < this.m.docs; d++) out.push(readSet(b, st));
        return out;
      });
      return this.tagData;
    }

    // sortKeys returns each document's day (0: none) and title rank.
    sortKeys() {
      this.sortData = this.sortData || fetchBytes(this.url('sort.bin')).then((b) => {
        const st = { i: 0 }, n = this.m.docs, k = { day: new Float64Array(n), rank: new Uint32Array(n) };
        for (let d = 0; d < n; d++) { k.day[d] = readVarint(b, st); k.rank[d] = readVarint(b, st); }
        return k;
      });
      return this.sortData;
    }

    // shard returns term shard i: term → {df, posOffset, postings bytes}.
    shard(i) {
      if (!this.shards.has(i)) {
        this.shards.set(i, fetchBytes(this.url(`t/${i}.bin`)).then((b) => {
          const st = { i: 0 }, terms = new Map();
          const count = readVarint(b, st);
          let prev = new Uint8Array(0);
          for (let k = 0; k < count; k++) {
            const shared = readVarint(b, st), len = readVarint(b, st);
            const tb = new Uint8Array(shared + len);
            tb.set(prev.subarray(0, shared));
            tb.set(b.subarray(st.i, st.i + len), shared);
            st.i += len;
            prev = tb;
            const df = this.m.fields.map(() => readVarint(b, st));
            const posOffset = readVarint(b, st), n = readVarint(b, st), size = readVarint(b, st);
            terms.set(decoder.decode(tb), { shard: i, df, posOffset, n, bytes: b.subarray(st.i, st.i + size), order: k });
            st.i += size;
          }
          return terms;
        }));
      }
      return this.shards.get(i);
    }

    shardOf(term) { // the last shard whose first term is <= term
      const s = this.m.shards;
      let lo = 0, hi = s.length - 1, ans = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (cmp(s[mid], term) <= 0) { ans = mid; lo = mid + 1; } else hi = mid - 1;
      }
      return ans;
    }

    // lookup returns a term's entry, or undefined.
    async lookup(term) {
      if (!this.m.shards.length) return undefined;
      return (await this.shard(this.shardOf(term))).get(term);
    }

    // range returns the entries of the terms starting with prefix.
    async range(prefix) {
      const s = this.m.shards;
      if (!s.length) return [];
      const ids = [this.shardOf(prefix)];
      for (let i = ids[0] + 1; i < s.length && s[i].startsWith(prefix); i++) ids.push(i);
      const out = [];
      for (const terms of await Promise.all(ids.map((i) => this.shard(i)))) {
        for (const [t, e] of terms) if (t.startsWith(prefix)) out.push([t, e]);
      }
      return out;
    }

    // postings decodes a term's postings: [{doc, mask, w: [a weight per
    // field]}]; a posting's first varint is its doc-delta times 2 to the
    // number of fields, plus its mask.
    postings(e) {
      if (e.decoded) return e.decoded;
      const out = [], b = e.bytes, st = { i: 0 }, nf = this.m.fields.length, span = 2 ** nf;
      for (let k = 0, doc = 0; k < e.n; k++) {
        const x = readVarint(b, st);
        doc += Math.floor(x / span);
        const mask = x % span, w = new Array(nf).fill(0);
        for (let f = 0; f < nf; f++) if (mask & 1 << f) w[f] = b[st.i++];
        out.push({ doc, mask, w });
      }
      e.decoded = out;
      return out;
    }

    // positionsOf returns doc → field → positions for a term.
    async positionsOf(e) {
      if (e.positions) return e.positions;
      if (!this.positions.has(e.shard)) this.positions.set(e.shard, fetchBytes(this.url(`p/${e.shard}.bin`)));
      const b = await this.positions.get(e.shard);
      const st = { i: e.posOffset }, out = new Map();
      for (const p of this.postings(e)) {
        const fields = [];
        for (const f of this.m.phrase_fields) {
          if (!(p.mask & 1 << f)) continue;
          const n = readVarint(b, st), list = new Array(n);
          for (let k = 0, x = 0; k < n; k++) { x += readVarint(b, st); list[k] = x; }
          fields[f] = list;
        }
        out.set(p.doc, fields);
      }
      e.positions = out;
      return out;
    }

    // weigh is the score of a term's posting in field f.
    weigh(e, p, f) { const idf = this.idf(e.df[f]); return this.m.boosts[f] * idf * idf * p.w[f] / 255; }

    // termScores: doc → score for a term in any text field, as a
    // disjunction over the fields (bleve's coordination factor included).
    termScores(entries, into) {
      const nf = this.m.fields.length;
      for (const e of entries) {
        for (const p of this.postings(e)) {
          let sum = 0, k = 0;
          for (let f = 0; f < nf; f++) if (p.mask & 1 << f) { sum += this.weigh(e, p, f); k++; }
          into.set(p.doc, (into.get(p.doc) || 0) + sum * k / nf);
        }
      }
      return into;
    }

    // expand returns the entries of the terms a prefix clause (terms: its
    // alternatives; exact: its stems matched whole) or a fuzzy word (terms:
    // the word) matches, refusing as bleve does when a field has too many.
    async expand(kind, terms, exact = []) {
      const tooMany = (found) => {
        for (let f = 0; f < this.m.fields.length; f++) {
          if (found.filter(([, e]) => e.df[f] > 0).length > this.m.limits.expansion) {
            throw new QueryError('a prefix or fuzzy word matches too many words; type more letters');
          }
        }
      };
      if (kind === 'prefix') {
        // Each alternative is its own bounded prefix query, as in bleve;
        // together they match the union of their terms.
        const seen = new Map();
        for (const t of terms) {
          const r = await this.range(t);
          tooMany(r);
          for (const [term, e] of r) seen.set(term, e);
        }
        for (const t of exact) {
          const e = await this.lookup(t);
          if (e) seen.set(t, e);
        }
        return Array.from(seen.entries()).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      }
      const want = Array.from(terms[0]);
      const first = want[0];
      const found = (await this.range(first)).filter(([t]) => editDistanceAtMostOne(want, Array.from(t)));
      tooMany(found);
      return found;
    }

    // clause returns doc → score for one clause, and the terms it matched.
    // facetsP is the facet data, which tells French documents.
    async clause(c, facetsP) {
      if (c.kind === 'any') {
        // A disjunction, as bleve scores one: the sum over the sides that
        // match, times how many match of how many there are.
        const sides = await Promise.all(c.any.map((a) => this.clause(a, facetsP)));
        return { scores: disjunction(sides.map((x) => x.scores)), terms: sides.flatMap((x) => x.terms) };
      }
      if (c.kind === 'prefix') {
        const found = await this.expand('prefix', c.terms, c.exact);
        return { scores: this.termScores(found.map(([, e]) => e), new Map()), terms: found.map(([t]) => t) };
      }
      if (!c.french) return this.analysis(c.kind, c.terms);
      // The English terms in English documents, the French ones in French.
      const [facets, en, fr] = await Promise.all([facetsP, this.analysis(c.kind, c.terms), this.analysis(c.kind, c.french)]);
      const scores = new Map();
      for (const [d, v] of en.scores) if (!facets.french[d]) scores.set(d, v);
      for (const [d, v] of fr.scores) if (facets.french[d]) scores.set(d, v);
      return { scores, terms: en.terms.concat(fr.terms) };
    }

    // analysis returns doc → score for one analysis of a word or phrase: a
    // term (fuzzy for a fuzzy word), or a phrase of several.
    async analysis(kind, terms) {
      if (terms.length > 1) return this.phrase(terms);
      if (kind === 'fuzzy') {
        const found = await this.expand('fuzzy', terms);
        return { scores: this.termScores(found.map(([, e]) => e), new Map()), terms: found.map(([t]) => t) };
      }
      const e = await this.lookup(terms[0]);
      return { scores: this.termScores(e ? [e] : [], new Map()), terms: e ? [terms[0]] : [] };
    }

    // phrase: in one field with positions, every term, in order. fields
    // are the fields to look in (all with positions by default), and
    // boost, if given, replaces the fields' boosts.
    async phrase(terms, fields, boost) {
      const words = terms.filter(Boolean);
      const entries = await Promise.all(words.map((t) => this.lookup(t)));
      const scores = new Map();
      if (entries.some((e) => !e)) return { scores, terms: [] };
      const pf = fields || this.m.phrase_fields;
      // Candidates: documents with every term in one of the fields.
      const cand = new Map(); // doc → mask of fields having all terms
      const only = pf.reduce((m, f) => m | 1 << f, 0);
      entries.forEach((e, i) => {
        const seen = new Map();
        for (const p of this.postings(e)) if (p.mask & only) seen.set(p.doc, p.mask & only);
        if (i === 0) { for (const [d, m] of seen) cand.set(d, m); return; }
        for (const [d, m] of cand) { const k = m & (seen.get(d) || 0); if (k) cand.set(d, k); else cand.delete(d); }
      });
      if (!cand.size) return { scores, terms: [] };
      const pos = await Promise.all(entries.map((e) => this.positionsOf(e)));
      const weights = entries.map((e) => { const m = new Map(); for (const p of this.postings(e)) m.set(p.doc, p); return m; });
      const first = terms.findIndex(Boolean);
      for (const [doc, mask] of cand) {
        let total = 0, k = 0;
        for (const f of pf) {
          if (!(mask & 1 << f)) continue;
          const lists = pos.map((m) => m.get(doc)[f]);
          const sets = lists.map((l) => new Set(l));
          let ok = false;
          for (const p0 of lists[0]) {
            ok = true;
            for (let j = first + 1, w = 1; j < terms.length; j++) {
              if (!terms[j]) continue;
              if (!sets[w].has(p0 + j - first)) { ok = false; break; }
              w++;
            }
            if (ok) break;
          }
          if (!ok) continue;
          k++;
          entries.forEach((e, i) => { total += this.weigh(e, weights[i].get(doc), f) * (boost === undefined ? 1 : boost / this.m.boosts[f]); });
        }
        if (k) scores.set(doc, total * k / pf.length);
      }
      return { scores, terms: scores.size ? words : [] };
    }

    // search runs a validated request: {total, docs (all matches, in the
    // order asked for), facets, terms (to mark in snippets)}.
    async search(r) {
      await this.load();
      await this.current();
      const q = parseQuery(r.q, this.an, this.m.limits);
      const dated = r.since !== '' || r.until !== '';
      const filtered = r.restricted || dated || r.tag.length > 0 || FACETS.some((f) => r[f].length > 0);
      if (q.common && !filtered) throw new QueryError(COMMON);
      const facetsP = this.facets();
      const [facets, results, tags, keys] = await Promise.all([facetsP, Promise.all(q.clauses.map((c) => this.clause(c, facetsP))),
        r.tag.length ? this.tags() : null, r.sort !== 'relevance' || dated ? this.sortKeys() : null]);
      // A date range keeps what is dated within it (an entry's date is
      // its first day), both days included; no date is outside any.
      const since = r.since ? dayOf(r.since) : 1, until = r.until ? dayOf(r.until, true) : Infinity;
      const n = this.m.docs;
      const terms = new Set();
      const must = [], should = [];
      q.clauses.forEach((c, i) => {
        if (c.exclude) return;
        results[i].terms.forEach((t) => terms.add(t));
        (c.optional ? should : must).push(results[i].scores);
      });
      // Words French counts as common ("la", "un") are optional, unless
      // there is nothing else: then one of them must match.
      if (!must.length && should.length) must.push(disjunction(should.splice(0)));
      // Bonuses for the entries the words name, and those whose title has
      // them in order.
      const [named, titled] = await Promise.all([Promise.all(q.names.map((k) => this.lookup(NAME + k))),
        Promise.all(q.title.map((t) => this.phrase(t, [0], this.m.title_boost)))]);
      for (const e of named) {
        const bonus = new Map();
        if (e) for (const p of this.postings(e)) bonus.set(p.doc, this.weigh(e, p, 1) * this.m.name_boost / this.m.boosts[1]);
        should.push(bonus);
      }
      for (const t of titled) should.push(t.scores);
      let scores = null; // null: every document
      for (const s of must) {
        if (scores === null) { scores = new Map(s); continue; }
        for (const [d, v] of scores) { const x = s.get(d); if (x === undefined) scores.delete(d); else scores.set(d, v + x); }
      }
      if (scores && should.length) {
        const bonus = disjunction(should);
        for (const [d, v] of scores) { const x = bonus.get(d); if (x !== undefined) scores.set(d, v + x); }
      }
      const excluded = new Set();
      q.clauses.forEach((c, i) => { if (c.exclude) for (const d of results[i].scores.keys()) excluded.add(d); });
      // Filters: a test per facet, so that each facet's counts can leave
      // out its own filter.
      // The facet data holds indexes into the manifest's values (country
      // and status one up, 0 being none); a value no document has is -1.
      const codes = (name, off) => new Set(r[name].map((v) => {
        const i = this.m.facets.find((f) => f.name === name).values.indexOf(v);
        return i < 0 ? -1 : i + off;
      }));
      const want = { type: codes('type', 0), country: codes('country', 1), vendor: codes('vendor', 0), status: codes('status', 1) };
      const wantTags = new Set(r.tag.map((t) => this.m.tags.indexOf(t)));
      const pass = {
        type: (d) => !want.type.size || want.type.has(facets.type[d]),
        country: (d) => !want.country.size || want.country.has(facets.country[d]),
        vendor: (d) => {
          if (!want.vendor.size) return true;
          for (let k = facets.vstart[d]; k < facets.vstart[d + 1]; k++) if (want.vendor.has(facets.vendors[k])) return true;
          return false;
        },
        status: (d) => !want.status.size || want.status.has(facets.status[d]),
      };
      const base = []; // [doc, score, the one filter it fails or -1]
      const each = (fn) => {
        if (scores === null) { for (let d = 0; d < n; d++) if (!excluded.has(d)) fn(d, 1); } else for (const [d, v] of scores) if (!excluded.has(d)) fn(d, v);
      };
      each((d, v) => {
        if (r.restricted && !facets.restricted[d]) return;
        if (dated && !(keys.day[d] >= since && keys.day[d] <= until)) return;
        if (tags && !tags[d].some((t) => wantTags.has(t))) return;
        let failed = -1;
        for (let i = 0; i < FACETS.length; i++) {
          if (!pass[FACETS[i]](d)) {
            if (failed !== -1) return; // fails two filters: counts nowhere
            failed = i;
          }
        }
        base.push([d, v, failed]);
      });
      const hits = base.filter((x) => x[2] === -1);
      // The order bleve sorts by: score, or date (undated last) then
      // score, or title; ties by ID, which is document order.
      const byScore = (a, b) => b[1] - a[1] || a[0] - b[0];
      if (r.sort === 'date' || r.sort === '-date') {
        const sign = r.sort === 'date' ? -1 : 1;
        hits.sort((a, b) => {
          const x = keys.day[a[0]], y = keys.day[b[0]];
          if (!x !== !y) return x ? -1 : 1;
          return (x - y) * sign || byScore(a, b);
        });
      } else if (r.sort === 'title') {
        hits.sort((a, b) => keys.rank[a[0]] - keys.rank[b[0]]);
      } else {
        hits.sort(byScore);
      }
      // Facet counts over all matches; a facet with a filter of its own is
      // counted as if that filter were not there, so a visitor can add
      // another value of it.
      const out = {}, left = {};
      FACETS.forEach((name, i) => {
        const counts = new Map(), f = this.m.facets[i];
        for (const [d, , failed] of base) {
          if (failed !== -1 && failed !== i) continue;
          if (name === 'vendor') {
            for (let k = facets.vstart[d]; k < facets.vstart[d + 1]; k++) counts.set(facets.vendors[k], (counts.get(facets.vendors[k]) || 0) + 1);
          } else {
            const v = name === 'type' ? facets.type[d] : name === 'country' ? facets.country[d] - 1 : facets.status[d] - 1;
            if (v >= 0) counts.set(v, (counts.get(v) || 0) + 1);
          }
        }
        const list = [...counts].map(([v, count]) => ({ value: f.values[v], count }));
        list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
        out[name] = list.slice(0, f.size);
        // What the list leaves out, as the API's facets_left_out says it.
        const rest = list.slice(f.size);
        if (rest.length) left[name] = { values: rest.length, count: rest.reduce((n, x) => n + x.count, 0) };
      });
      return { total: hits.length, docs: hits.map((h) => h[0]), scores: hits.map((h) => h[1]), facets: out, left, terms, an: this.an };
    }

    // docs returns the display data of documents.
    async docs(nums) {
      const k = this.m.doc_chunk;
      const load = (c) => {
        if (!this.chunks.has(c)) this.chunks.set(c, fetchBytes(this.url(`d/${c}.bin`)).then((b) => JSON.parse(decoder.decode(b))));
        return this.chunks.get(c);
      };
      return Promise.all(nums.map(async (d) => (await load(Math.floor(d / k)))[d % k]));
    }
  }

  // disjunction combines doc → score maps as bleve's disjunction scores:
  // the sum over the maps a document is in, times how many of them it is
  // in over how many there are.
  function disjunction(maps) {
    const sum = new Map(), hits = new Map();
    for (const m of maps) for (const [d, v] of m) { sum.set(d, (sum.get(d) || 0) + v); hits.set(d, (hits.get(d) || 0) + 1); }
    for (const [d, v] of sum) sum.set(d, v * hits.get(d) / maps.length);
    return sum;
  }

  // editDistanceAtMostOne: at most one insertion, deletion, substitution
  // or swap of neighbours, on code points, as bleve's fuzzy automaton.
  function editDistanceAtMostOne(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length && i === b.length) return true;
    const rest = (x, y) => x.length === y.length && x.every((c, k) => c === y[k]);
    if (a.length === b.length) {
      if (rest(a.slice(i + 1), b.slice(i + 1))) return true; // substitution
      return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a.slice(i + 2), b.slice(i + 2));
    }
    return a.length > b.length ? rest(a.slice(i + 1), b.slice(i)) : rest(a.slice(i), b.slice(i + 1));
  }

  // ------------------------------------------------------------- engines

  // staticEngine answers requests from the static index in the API's shape,
  // with snippets as lists of [text, marked] parts.
  function staticEngine(index) {
    return {
      mode: 'static',
      // The index's manifest of the moment (current may replace it).
      get limits() { return index.m.limits; },
      get known() { return index.m; },
      async search(r) {
        const res = await index.search(r);
        const page = res.docs.slice(r.from, r.from + r.size);
        const docs = await index.docs(page);
        const hits = docs.map((d, i) => ({
          id: d.id, type: d.type, title: d.title, title_lang: d.title_lang, lang: d.text_lang, url: index.base + d.path, country: d.country, status: d.status, date: d.date,
          score: res.scores[r.from + i], parts: snippet(d, res.terms, res.an),
        }));
        // The version of the index the page came from: a page of more
        // results from another one does not go on the same list.
        return { total: res.total, hits, facets: res.facets, facets_left_out: res.left, version: index.m.version, notes: staticNotes(index.m, r) };
      },
      // csv returns the hits of r as the API's format=csv writes them:
      // every hit a search pages to (limits.from), in order, each url the
      // page's address on the published site (the form's data-address,
      // its base path where the site was built for no address). The
      // score is left empty: the static index ranks as the API does, but
      // its scores leave out bleve's query norm, so they are not on the
      // API's scale.
      async csv(r) {
        const res = await index.search(r);
        const docs = await index.docs(res.docs.slice(0, Math.min(res.total, index.m.limits.from)));
        const address = (form && form.dataset.address) || index.base;
        return csvText(docs.map((d) => [d.id, d.type, d.title, d.country, d.status, d.date, address + d.path, '']));
      },
    };
  }

  // csvText writes rows under the API's CSV header as Go's encoding/csv
  // and search.Hit.CSVRecord write them: a cell a spreadsheet would take
  // for a formula is written as text (kb.SafeCells), and a cell is quoted
  // when it holds a comma, a quote or a line break or starts with a space.
  function csvText(rows) {
    const cell = (v) => {
      let c = v === undefined || v === null ? '' : String(v);
      if (c !== '' && '=+-@\t\r\''.includes(c[0])) c = "'" + c;
      if (c === '') return c;
      return c === '\\.' || /[\n\r",]/.test(c) || /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(c)
        ? '"' + c.replace(/"/g, '""') + '"' : c;
    };
    return [CSV_HEADER, ...rows].map((row) => row.map(cell).join(',') + '\n').join('');
  }
  const CSV_HEADER = ['id', 'type', 'title', 'country', 'status', 'date', 'url', 'score'];

  // downloadText is the download link's words, as serve's page writes
  // them (search.DownloadText).
  function downloadText(total, deepest) {
    if (total === 1) return 'Download the match as CSV';
    if (total <= deepest) return `Download the ${total} matches as CSV`;
    return `Download the first ${deepest} of the ${total} matches as CSV`;
  }

  // staticNotes says which filter values no entry of the index has, in
  // the words of the API's notes (without their suggestions, which need
  // tables the static index does not carry): a value typed into the
  // address answered 0 hits and no word why (found in review).
  function staticNotes(m, r) {
    const values = (name) => (m.facets.find((f) => f.name === name) || { values: [] }).values;
    const notes = [];
    // A query that is a vendor's slug is told the vendor filter, as
    // the server's VendorNote tells it.
    const words = r.q.trim();
    if (/^[A-Za-z0-9 -]+$/.test(words) && !r.vendor.length) {
      const slug = words.toLowerCase().split(/ +/).join('-');
      if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) && values('vendor').includes(slug)) {
        notes.push(`${goQuote(slug)} is a vendor: filter by vendor ${slug} to keep the entries whose fleets, laws or incidents name it, not only those whose text does`);
      }
    }
    for (const v of r.vendor) if (!values('vendor').includes(v)) notes.push(`no vendor in the index is ${goQuote(v)}`);
    for (const c of r.country) if (!values('country').includes(c)) notes.push(`no entry in the index is in ${c}`);
    for (const t of r.tag) if (!m.tags.includes(t)) notes.push(`no entry in the index has the tag ${goQuote(t)}`);
    return notes;
  }

  // snippet marks the query's terms in a window of the body text, or of
  // the summary, or shows the start of the summary.
  function snippet(d, terms, an) {
    for (const text of [d.text, d.summary]) {
      if (!text || !terms.size) continue;
      const toks = an.analyze(text, d.lang === 'fr').filter((t) => terms.has(t.term));
      if (!toks.length) continue;
      let start = Math.max(0, toks[0].start - 60);
      if (start > 0) { const sp = text.indexOf(' ', start); start = sp >= 0 && sp < toks[0].start ? sp + 1 : toks[0].start; }
      let end = Math.min(text.length, start + 220);
      if (end < text.length) { const sp = text.lastIndexOf(' ', end); if (sp > toks[0].end) end = sp; }
      const parts = [];
      if (start > 0) parts.push(['…', false]);
      let at = start;
      for (const t of toks) {
        if (t.start < at || t.end > end) continue;
        if (t.start > at) parts.push([text.slice(at, t.start), false]);
        parts.push([text.slice(t.start, t.end), true]);
        at = t.end;
      }
      if (end > at) parts.push([text.slice(at, end), false]);
      if (end < text.length) parts.push(['…', false]);
      return parts;
    }
    const s = d.summary || '';
    return [[s.length > 220 ? s.slice(0, s.lastIndexOf(' ', 220) > 110 ? s.lastIndexOf(' ', 220) : 220) + '…' : s, false]];
  }

  // syntaxOnly stands in for the analysis where only the syntax of a query
  // is checked: a query the server would refuse is refused here, without
  // asking it.
  const syntaxOnly = { analyze: () => [], goLower: (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase()), foldString: (s) => s };
  const apiLimits = { query: 500, clauses: 32, prefix: 2, size: 100, from: 1000, filters: 64 };

  // apiEngine asks the server.
  function apiEngine(base) {
    return {
      mode: 'api',
      limits: apiLimits,
      known: null,
      async search(r) {
        parseQuery(r.q, syntaxOnly, apiLimits);
        const res = await fetch(base + 'api/search?' + toParams(r, { from: r.from, size: r.size }));
        const body = await res.json();
        if (!res.ok) throw (res.status === 400 ? new QueryError(body.error) : new Error(body.error || res.statusText));
        body.hits.forEach((h) => { h.parts = parseSnippet(h.snippet || ''); });
        body.version = body.build; // a page from another build starts the list again
        // A facet with a filter of its own is counted without it.
        await Promise.all(FACETS.filter((f) => r[f].length).map(async (f) => {
          const rr = Object.assign({}, r, { [f]: [] });
          const x = await fetch(base + 'api/search?' + toParams(rr, { size: 1 }));
          if (!x.ok) return;
          const xb = await x.json();
          body.facets[f] = xb.facets[f];
          body.facets_left_out = Object.assign({}, body.facets_left_out);
          if (xb.facets_left_out && xb.facets_left_out[f]) body.facets_left_out[f] = xb.facets_left_out[f];
          else delete body.facets_left_out[f];
        }));
        return body;
      },
    };
  }

  // parseSnippet reads the API's snippet (escaped text with <mark>…</mark>)
  // into [text, marked] parts without ever parsing it as HTML.
  function parseSnippet(html) {
    const parts = [];
    const unescape = (s) => s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (m, e) => {
      const k = e.toLowerCase();
      if (k[0] === '#') {
        const c = k[1] === 'x' ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
        return c > 0 && c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff) ? String.fromCodePoint(c) : '\ufffd';
      }
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }[k];
    });
    const re = /<mark>([\s\S]*?)<\/mark>/g;
    let at = 0, m;
    while ((m = re.exec(html))) {
      if (m.index > at) parts.push([unescape(html.slice(at, m.index)), false]);
      parts.push([unescape(m[1]), true]);
      at = re.lastIndex;
    }
    if (at < html.length) parts.push([unescape(html.slice(at)), false]);
    return parts;
  }

  // choose uses the API if the server answers it, else the static index.
  async function choose(base) {
    try {
      const res = await fetch(base + 'api/search?size=1', { headers: { Accept: 'application/json' } });
      if (res.ok) {
        const body = await res.json();
        if (body && Array.isArray(body.hits)) return apiEngine(base);
      }
    } catch (e) { /* no server: a static host */ }
    const index = new StaticIndex(base);
    await index.load();
    return staticEngine(index);
  }

  // ------------------------------------------------------------------ page

  const form = document.getElementById('search-form');
  const base = (form && form.dataset.base) || ((document.currentScript && document.currentScript.src.match(/^[^?#]*?\/(?=assets\/)/)) || ['/'])[0].replace(/^https?:\/\/[^/]+/, '');
  let engine = null;
  const engineReady = choose(base).then((e) => { engine = e; return e; });
  engineReady.catch(() => {}); // a search reports it
  let statics = null;
  const staticIndex = () => { statics = statics || new StaticIndex(base); return statics.load().then(() => statics); };

  // For tests and the curious: the analysis and the static search.
  window.dronekbSearch = {
    ready: engineReady.then((e) => e.mode, (e) => 'unavailable: ' + e.message),
    // How long a page trusts the manifest it read, in milliseconds
    // (tests shorten it rather than wait a minute).
    manifestMaxAge: (ms) => { manifestMaxAge = ms; },
    frenchStem: async (words) => { const s = await staticIndex(); return words.map((w) => String.fromCodePoint(...frenchStem(Array.from(w, (c) => c.codePointAt(0)), s.an))); },
    analyze: async (texts, lang) => { const s = await staticIndex(); return texts.map((t) => s.an.analyze(t, lang === 'fr').map((x) => x.term)); },
    parse: async (text) => {
      const s = await staticIndex();
      try { return parseQuery(text, s.an, s.m.limits); } catch (e) { return { error: e.message }; }
    },
    staticIDs: async (params) => {
      const s = await staticIndex();
      try {
        const r = validate(readParams(new URLSearchParams(params), true), s.m.limits, s.m);
        const res = await s.search(r);
        const docs = await s.docs(res.docs);
        return { total: res.total, ids: docs.map((d) => d.id), facets: res.facets };
      } catch (e) { return { error: e.message, query: e instanceof QueryError }; }
    },
    // staticCSV is what the download button writes for the search
    // params asks, from the static index.
    staticCSV: async (params) => {
      const s = await staticIndex();
      try {
        return { csv: await staticEngine(s).csv(validate(readParams(new URLSearchParams(params), true), s.m.limits, s.m)) };
      } catch (e) { return { error: e.message, query: e instanceof QueryError }; }
    },
  };

  if (!form) return;
  const $ = (sel) => form.querySelector(sel);
  const qInput = $('[name=q]'), statusEl = document.getElementById('search-status');
  const facetsEl = document.getElementById('facets'), resultsEl = document.getElementById('results');
  const LABELS = {
    type: { agency: 'Agency', vendor: 'Vendor', law: 'Law', incident: 'Incident' },
    status: {
      'flying-banned': 'Flies drones a ban binding it forbids',
      'flying-restricted': 'Flies restricted drones; a law binding it restricts them',
      'flying-restricted-unbound': 'Flies restricted drones; no law binding it restricts them',
      unknown: 'Restricted drones of unknown use, or drones of unknown make', grounded: 'Restricted drones grounded or retired',
      clear: 'Fleet on record, no restricted drones', 'no-record': 'No fleet on record',
      'in-force': 'Law in force', 'law-enacted': 'Enacted, not yet in force', 'law-proposed': 'Proposed', 'law-expired': 'Expired',
      'law-repealed': 'Repealed', 'law-failed': 'Failed',
    },
  };
  // Vendors by name, not slug (the page lists them).
  try { LABELS.vendor = JSON.parse(form.getAttribute('data-vendor-names') || '{}'); } catch (e) { /* slugs then */ }
  const FACET_TITLES = { type: 'Type', country: 'Country', vendor: 'Vendor', status: 'Status' };
  let regionNames = null;
  try { regionNames = new Intl.DisplayNames(['en'], { type: 'region' }); } catch (e) { /* codes only */ }
  const label = (facet, v) => {
    if (facet === 'country' && regionNames) { try { return regionNames.of(v) || v; } catch (e) { return v; } }
    return (LABELS[facet] && LABELS[facet][v]) || v;
  };

  // tidy writes the page's filter values as the index holds them, as
  // validate does for the search itself: country=us and vendor=DJI show
  // as the pressed facets US and dji, not beside them as values of their
  // own.
  function tidy(s) {
    s.country = s.country.map((c) => c.toUpperCase());
    for (const f of ['vendor', 'tag']) s[f] = s[f].map((v) => v.replace(/[A-Z]/g, (c) => c.toLowerCase()));
    for (const f of FACETS.concat('tag')) s[f] = s[f].filter((v, i, all) => all.indexOf(v) === i);
    return s;
  }

  const state = tidy(readParams(new URLSearchParams(location.search), false));
  // narrow is a phone's width, where the facets come shut (the style
  // sheet's own breakpoint); facetsOpen is whether the reader opened them.
  const narrow = window.matchMedia ? window.matchMedia('(max-width: 40rem)') : null;
  let facetsOpen = false;
  let seq = 0, timer = 0, shown = 0;
  let shownVersion; // the static index's version the list shown came from

  function fillForm() {
    qInput.value = state.q;
    form.querySelectorAll('[name=type]').forEach((el) => { el.checked = state.type.includes(el.value); });
    for (const f of ['country', 'vendor', 'status']) { const el = $(`[name=${f}]`); if (el) el.value = state[f].join(', '); }
    const r = $('[name=restricted]');
    if (r) r.checked = state.restricted;
    for (const f of ['since', 'until']) { const el = $(`[name=${f}]`); if (el) el.value = state[f]; }
    const so = $('[name=sort]');
    if (so) so.value = state.sort;
  }

  function readForm() {
    const list = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);
    state.q = qInput.value;
    state.type = [...form.querySelectorAll('[name=type]:checked')].map((el) => el.value);
    for (const f of ['country', 'vendor', 'status']) { const el = $(`[name=${f}]`); if (el) state[f] = list(el.value); }
    const r = $('[name=restricted]');
    state.restricted = !!(r && r.checked);
    // A date being typed ("202") is left out until it is one.
    for (const f of ['since', 'until']) { const el = $(`[name=${f}]`); if (el) { const v = el.value.trim(); state[f] = dayOf(v) ? v : ''; } }
    const so = $('[name=sort]');
    if (so) state.sort = so.value;
    tidy(state);
  }

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const k of kids) if (k) e.append(k);
    return e;
  }

  function setStatus(text) { statusEl.textContent = text; }

  // safeHref lets only web links of this site's kind through.
  function safeHref(u) {
    try {
      const url = new URL(u, location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '#';
    } catch (e) { return '#'; }
  }

  // titleFor is the page's title for words searched for: "dji — Search ·
  // Site", the page's own title with none (searchTitle). The words are
  // cut at 60 characters, as the server cuts them in the page it writes
  // for readers without script, whose title searchTitle is read from.
  const titleWords = (q) => {
    const chars = Array.from(q.trim());
    return chars.length > 60 ? chars.slice(0, 60).join('') + '…' : chars.join('');
  };
  const searchTitle = (() => {
    const words = titleWords(new URLSearchParams(location.search).get('q') || '');
    const t = document.title;
    return words !== '' && t.startsWith(words + ' — ') ? t.slice(words.length + 3) : t;
  })();
  const titleFor = (q) => (titleWords(q) === '' ? searchTitle : titleWords(q) + ' — ' + searchTitle);

  function active() { return state.q.trim() !== '' || state.restricted || state.since !== '' || state.until !== '' || state.tag.length > 0 || FACETS.some((f) => state[f].length); }

  // run searches for what state asks: the first page of hits, or with
  // append the next one, added to the list shown. note is said after the
  // count.
  // request is the search the page shows, a copy of its state (lists
  // too) with a page of ten from from.
  function request(from) {
    return Object.assign({}, state, {
      type: state.type.slice(), country: state.country.slice(), vendor: state.vendor.slice(), status: state.status.slice(), tag: state.tag.slice(),
      from, size: 10,
    });
  }

  async function run(append, note) {
    const my = ++seq;
    if (!append) {
      history.replaceState(null, '', location.pathname + (toParams(state).toString() ? '?' + toParams(state) : ''));
      // The tab, the history and a bookmark name the words searched for,
      // as the page the server writes without script does.
      document.title = titleFor(state.q);
      if (!active()) {
        resultsEl.replaceChildren();
        facetsEl.replaceChildren();
        facetsEl.hidden = true;
        setStatus('');
        return;
      }
    }
    let res;
    try {
      const e = engine || await engineReady;
      const r = validate(request(append ? shown : 0), e.limits, e.known);
      res = await e.search(r);
    } catch (err) {
      if (my !== seq) return;
      setStatus(err instanceof QueryError ? err.message : 'The search failed: ' + err.message);
      if (!append) { resultsEl.replaceChildren(); facetsEl.hidden = true; }
      return;
    }
    if (my !== seq) return; // a newer search is under way
    if (append && res.version !== shownVersion) {
      // The site was deployed anew since the list was shown: its next
      // page would come from another index. Start the list again.
      run(false, 'The site was updated since the search began, so the results start again.');
      return;
    }
    shownVersion = res.version;
    render(res, append, note);
  }

  function render(res, append, note) {
    let list = resultsEl.querySelector('ol');
    if (!append || !list) {
      list = el('ol', { class: 'hits' });
      resultsEl.replaceChildren(el('h2', { class: 'visually-hidden', text: 'Results' }), list);
      shown = 0;
      renderFacets(res.facets, res.facets_left_out);
    }
    const firstNew = list.children.length;
    for (const h of res.hits) {
      // A French entry's snippet is French: marked so, a screen reader says it right.
      const snippet = el('p', { class: 'snippet', ...(/^[a-z]{2}$/.test(h.lang || '') && h.lang !== 'en' ? { lang: h.lang } : {}) });
      for (const [text, marked] of h.parts) snippet.append(marked ? el('mark', { text }) : document.createTextNode(text));
      const meta = [label('type', h.type), h.country && label('country', h.country), h.status && label('status', h.status), h.date]
        .filter(Boolean).join(' · ');
      list.append(el('li', { class: 'hit' },
        el('h3', {}, el('a', { href: safeHref(h.url), text: h.title, ...(/^[a-z]{2}$/.test(h.title_lang || '') ? { lang: h.title_lang } : {}) })),
        el('p', { class: 'hit-meta', text: meta }),
        snippet));
    }
    shown += res.hits.length;
    if (append && list.children[firstNew]) list.children[firstNew].querySelector('a').focus(); // keyboard users go on reading
    for (const old of resultsEl.querySelectorAll('.more, .search-cap, .search-download')) old.remove();
    const deepest = (engine && engine.limits.from) || 1000;
    if (shown < res.total && shown < deepest) {
      const more = el('button', { type: 'button', class: 'more', text: `More results (${shown} of ${res.total})` });
      more.addEventListener('click', () => { run(true); });
      resultsEl.append(more);
    } else if (shown < res.total) {
      // The list stopped at the deepest hit a search pages to without a
      // word of the others (found in review); serve's page says the same.
      // A reader of the site has the downloads, not the command, so they
      // come first.
      resultsEl.append(el('p', { class: 'search-cap' },
        document.createTextNode(`Only the first ${shown} of the ${res.total} matches are listed here. Narrow the search with words or filters to see the others. Every entry is in the `),
        el('a', { href: base + 'data/', text: 'downloads' }), document.createTextNode(', and '),
        el('code', { text: 'dronekb search --all' }), document.createTextNode(' lists every match from a built index.')));
    }
    if (res.total > 0) resultsEl.append(downloadLink(res.total, deepest));
    const q = state.q.trim();
    const what = res.total === 0 ? 'No entries match' : res.total === 1 ? '1 entry matches' : `${res.total} entries match`;
    // The notes say why a filter finds nothing (the API's, or the static
    // index's own): "UK" is no country code, a tag is mistyped.
    const notes = (res.notes || []).map((n) => ' ' + n.charAt(0).toUpperCase() + n.slice(1) + (n.endsWith('?') ? '' : '.')).join('');
    setStatus(`${what}${q ? ` “${q}”` : ''}${append ? `; showing ${shown}` : ''}.${notes}${note ? ' ' + note : ''}`);
  }

  // downloadLink offers the search's hits as CSV: behind serve, the API's
  // (format=csv); on a static host, written here from the static index.
  function downloadLink(total, deepest) {
    const text = downloadText(total, deepest);
    if (engine && engine.mode === 'api') {
      return el('p', { class: 'search-download' },
        el('a', { href: base + 'api/search?' + toParams(state, { format: 'csv' }), download: 'dronekb-search.csv', text }));
    }
    const button = el('button', { type: 'button', text });
    const r = request(0);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const blob = new Blob([await engine.csv(validate(r, engine.limits, engine.known))], { type: 'text/csv;charset=utf-8' });
        const a = el('a', { href: URL.createObjectURL(blob), download: 'dronekb-search.csv' });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(a.href), 60000);
      } catch (e) {
        setStatus('The download failed: ' + e.message);
      } finally {
        button.disabled = false;
      }
    });
    return el('p', { class: 'search-download' }, button);
  }

  // renderFacets lists each facet's values, and says how many more its
  // list leaves out (left, the API's facets_left_out): a list of 60 of
  // 500 vendors read as whole (found in review).
  function renderFacets(facets, left) {
    const groups = [];
    for (const f of FACETS) {
      const values = (facets && facets[f]) || [];
      // Keep selected values visible even when nothing else has them.
      for (const v of state[f]) if (!values.some((x) => x.value === v)) values.push({ value: v, count: 0 });
      if (!values.length) continue;
      const id = `facet-${f}`;
      const group = el('div', { class: 'facet', role: 'group', 'aria-labelledby': id }, el('h3', { id, text: FACET_TITLES[f] }));
      const ul = el('ul');
      for (const { value, count } of values) {
        const on = state[f].includes(value);
        const b = el('button', { type: 'button', 'aria-pressed': String(on), 'data-facet': f, 'data-value': value },
          document.createTextNode(label(f, value) + ' '), el('span', { class: 'count', text: `(${count})` }));
        ul.append(el('li', {}, b));
      }
      const more = left && left[f];
      if (more) ul.append(el('li', { class: 'facet-more', text: `and ${more.values} more (${more.count})` }));
      group.append(ul);
      groups.push(group);
    }
    if (!groups.length) {
      facetsEl.replaceChildren();
      facetsEl.hidden = true;
      return;
    }
    const heading = el('h2', { text: 'Refine' });
    if (narrow && narrow.matches) {
      // On a phone the groups come shut, the results under them on the
      // first screen; all listed, they put the first result 1,500px down
      // (found in an audit). Opened, they stay open from search to search.
      const chosen = FACETS.reduce((n, f) => n + state[f].length, 0);
      const names = groups.map((g) => g.querySelector('h3').textContent.toLowerCase());
      const details = el('details', facetsOpen ? { open: '' } : {},
        el('summary', { text: `By ${names.slice(0, -1).join(', ')}${names.length > 1 ? ' or ' : ''}${names[names.length - 1]}${chosen ? ` (${chosen} chosen)` : ''}` }),
        ...groups);
      details.addEventListener('toggle', () => { facetsOpen = details.open; });
      facetsEl.replaceChildren(heading, details);
    } else {
      facetsEl.replaceChildren(heading, ...groups);
    }
    facetsEl.hidden = false;
  }

  facetsEl.addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-facet]');
    if (!b) return;
    const f = b.dataset.facet, v = b.dataset.value;
    state[f] = state[f].includes(v) ? state[f].filter((x) => x !== v) : state[f].concat(v);
    fillForm();
    const key = `button[data-facet="${f}"][data-value="${CSS.escape(v)}"]`;
    run(false).then(() => { const again = facetsEl.querySelector(key); if (again) again.focus(); });
  });
  const later = () => { clearTimeout(timer); timer = setTimeout(() => { readForm(); run(false); }, 200); };
  qInput.addEventListener('input', later);
  form.addEventListener('change', (ev) => { if (ev.target !== qInput) { readForm(); run(false); } });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); clearTimeout(timer); readForm(); run(false); });
  fillForm();
  if (active()) run(false);
})();
