package model

import (
	"bytes"
	"strings"

	"go.yaml.in/yaml/v3"
)

// EncodeBoth lays src out as Format does and writes it twice: by encode
// one entry a chunk, and by one encoder for the whole document. ok is false
// when src is not one YAML document.
func EncodeBoth(src []byte) (chunked, whole string, ok bool) {
	doc, err := parseYAML(src)
	if err != nil || doc == nil || len(doc.Content) == 0 {
		return "", "", false
	}
	f := &formatter{src: strings.Split(string(src), "\n")}
	f.blanks(doc.Content[0])
	f.top(doc.Content[0])
	chunked, err1 := encode(doc, 1)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	err2 := enc.Encode(doc)
	if err2 == nil {
		err2 = enc.Close()
	}
	if (err1 == nil) != (err2 == nil) {
		return "chunked: " + errString(err1), "whole: " + errString(err2), true
	}
	return chunked, b.String(), err1 == nil
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// FormatBoth formats src in pieces of chunk entries of a long list, and
// whole. ok is false when the pieces do not apply; whole holds the error
// of the whole file, if any.
func FormatBoth(src []byte, chunk int) (pieces, whole string, ok bool) {
	out, ok := formatPieces("f.yaml", src, chunk)
	w, err := FormatEdit("f.yaml", src, nil)
	if err != nil {
		return string(out), "error: " + err.Error(), ok
	}
	return string(out), string(w), ok
}
