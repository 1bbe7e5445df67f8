package synth

import (
	"bytes"
	"sync"
)

// shared holds the models Shared has made in this process, by their options.
var shared struct {
	sync.Mutex
	models map[Options]*sharedModel
}

type sharedModel struct {
	once  sync.Once
	src   []byte
	stats Stats
	err   error
}

// Shared returns the model Generate writes for opt, made once per process
// and then shared by every caller: the tests and benchmarks of one package
// that need a national model pay for generating it once. The bytes are
// shared too, so a caller must not change them.
func Shared(opt Options) ([]byte, Stats, error) {
	shared.Lock()
	if shared.models == nil {
		shared.models = map[Options]*sharedModel{}
	}
	s, ok := shared.models[opt]
	if !ok {
		s = &sharedModel{}
		shared.models[opt] = s
	}
	shared.Unlock()
	s.once.Do(func() {
		var b bytes.Buffer
		s.stats, s.err = Generate(&b, opt)
		s.src = b.Bytes()
	})
	return s.src, s.stats, s.err
}
