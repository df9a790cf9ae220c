package markdown

import (
	"bytes"
	"sync"
	"unsafe"

	"github.com/yuin/goldmark/ast"
)

// Text is a body's words without markup (Doc.Text), kept as the parts of
// the body they are made of rather than as a copy: a knowledge base that
// keeps each body for its page then keeps its words for search in about
// a sixth of their size (15.7% on 10,000 entries of sitetest.Generate,
// 11.5% on the shipped content). At 100,000 entries the copies were 165 MB
// of the 1,053 MB a build keeps while it writes.
//
// A Text is read with the body it was made from (String); the zero Text is
// empty.
type Text struct {
	// ops are what Doc.Text writes, in order, each a tag in the top two
	// bits of its first word: a part of the body, short (its start and
	// length in one word) or long (its start, then its end in the next
	// word); a separator byte or the removal of the spaces written last;
	// or a part of extra (start, then end in the next word).
	ops []uint32
	// extra holds what is not a part of the body as it stands: the
	// values of String nodes and autolinks' labels.
	extra string
}

const (
	opPart uint32 = iota << 30
	opLong
	opByte
	opExtra

	opTag  = 3 << 30
	opMask = 1<<30 - 1

	// A short part's start takes the 18 bits above its length's 12: any
	// offset in a file of kb.MaxFileSize (256 KiB).
	partLenBits = 12
	partMaxLen  = 1<<partLenBits - 1
	partMaxPos  = 1<<(30-partLenBits) - 1

	// opTrim is the byte op that writes nothing but takes back spaces.
	opTrim = opByte | 1<<8
)

// textWriter records a Text as Doc.Text would write it.
type textWriter struct {
	src   []byte
	ops   []uint32
	extra []byte
	last  int  // the index in ops of the last part of the body, or -1
	copy  bool // the body is too long for a part's offsets: copy it to extra
}

var textWriters = sync.Pool{New: func() any { return new(textWriter) }}

// body writes src[start:end].
func (w *textWriter) body(start, end int) {
	if start >= end {
		return
	}
	if w.copy {
		w.bytes(w.src[start:end])
		return
	}
	k := w.last
	switch {
	case k >= 0 && k == len(w.ops)-1 && w.ops[k]&opTag == opPart:
		// Goes on where the last part ended, if the two fit in one.
		op := w.ops[k]
		s, n := int(op&opMask>>partLenBits), int(op&partMaxLen)
		if s+n == start && n+end-start <= partMaxLen {
			w.ops[k] = opPart | uint32(s)<<partLenBits | uint32(n+end-start)
			return
		}
	case k >= 0 && k == len(w.ops)-2 && w.ops[k]&opTag == opLong && w.ops[k+1] == uint32(start):
		w.ops[k+1] = uint32(end)
		return
	}
	w.last = len(w.ops)
	if start <= partMaxPos && end-start <= partMaxLen {
		w.ops = append(w.ops, opPart|uint32(start)<<partLenBits|uint32(end-start))
		return
	}
	w.ops = append(w.ops, opLong|uint32(start), uint32(end))
}

// bytes writes p, which is not (known to be) a part of the body.
func (w *textWriter) bytes(p []byte) {
	if len(p) == 0 {
		return
	}
	start := len(w.extra)
	w.extra = append(w.extra, p...)
	w.ops = append(w.ops, opExtra|uint32(start), uint32(len(w.extra)))
}

func (w *textWriter) byte(c byte) {
	w.ops = append(w.ops, opByte|uint32(c))
}

// trim removes the spaces written last.
func (w *textWriter) trim() {
	w.ops = append(w.ops, opTrim)
}

// Words returns the body's words without markup, as Text: what Doc.Text
// returns, kept as parts of the body.
func (d *Doc) Words() Text {
	w := textWriters.Get().(*textWriter)
	defer func() {
		w.src, w.ops, w.extra = nil, w.ops[:0], w.extra[:0]
		textWriters.Put(w)
	}()
	// No body the checker lets through (kb.MaxFileSize) is too long.
	w.src, w.last, w.copy = d.src, -1, len(d.src) > opMask
	d.walkText(w)
	t := Text{extra: string(w.extra)}
	if len(w.ops) > 0 {
		t.ops = append([]uint32(nil), w.ops...)
	}
	return t
}

// Empty reports whether the text has no words, so that String needs no
// source.
func (t Text) Empty() bool { return len(t.ops) == 0 }

// String returns the text, read from src, the body it was made from.
func (t Text) String(src []byte) string {
	n := 0 // the bytes written, at least the text's length
	for i := 0; i < len(t.ops); i++ {
		switch op := t.ops[i]; op & opTag {
		case opPart:
			n += int(op & partMaxLen)
		case opLong, opExtra:
			n += int(t.ops[i+1] - op&opMask)
			i++
		case opByte:
			n++
		}
	}
	b := make([]byte, 0, n)
	for i := 0; i < len(t.ops); i++ {
		switch op := t.ops[i]; op & opTag {
		case opPart:
			s := op & opMask >> partLenBits
			b = append(b, src[s:s+op&partMaxLen]...)
		case opLong:
			b = append(b, src[op&opMask:t.ops[i+1]]...)
			i++
		case opExtra:
			b = append(b, t.extra[op&opMask:t.ops[i+1]]...)
			i++
		case opByte:
			if op == opTrim {
				b = bytes.TrimRight(b, " ")
			} else {
				b = append(b, byte(op))
			}
		}
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	// b is not written again: the string takes it as it is, without the
	// copy string(b) would make (search makes each entry's words twice a
	// build, for bleve's index and the static one).
	return unsafe.String(&b[0], len(b))
}

// Text returns the body's words without markup: what a search index should
// see. Blocks are separated by newlines; link destinations are left out.
func (d *Doc) Text() string {
	return d.Words().String(d.src)
}

// walkText writes the body's words to w: the text of each inline, a
// newline after each block, nothing of link destinations, raw HTML or
// citations (and no space before a citation: "protests [1]." reads
// "protests.").
func (d *Doc) walkText(w *textWriter) {
	wrote := false // whether anything was written: no newline before the first words
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock && wrote {
				w.byte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			seg := t.Segment
			if seg.Padding > 0 {
				w.bytes(seg.Value(d.src))
			} else {
				w.body(seg.Start, seg.Stop)
			}
			wrote = wrote || seg.Len() > 0
			if t.SoftLineBreak() || t.HardLineBreak() {
				w.byte(' ')
				wrote = true
			}
		case *ast.String:
			w.bytes(t.Value)
			wrote = wrote || len(t.Value) > 0
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				if seg.Padding > 0 {
					w.bytes(seg.Value(d.src))
				} else {
					w.body(seg.Start, seg.Stop)
				}
				wrote = wrote || seg.Len() > 0
			}
		case *ast.AutoLink:
			label := t.Label(d.src)
			w.bytes(label)
			wrote = wrote || len(label) > 0
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *citeNode, *citeGroup:
			w.trim()
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}
