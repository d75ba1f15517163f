package runtime

// MemStats has Go's fields; g2n fills those the collector (bdwgc) counts and
// leaves the others zero: Mallocs and Frees (the collector counts bytes, not
// objects, so allocation counts taken from them are 0, like testing's
// AllocsPerRun in g2n), the span, cache and stack figures (g2n has no
// spans; goroutine stacks are mapped outside the heap) and the pause times.
type MemStats struct {
	Alloc         uint64
	TotalAlloc    uint64
	Sys           uint64
	Lookups       uint64
	Mallocs       uint64
	Frees         uint64
	HeapAlloc     uint64
	HeapSys       uint64
	HeapIdle      uint64
	HeapInuse     uint64
	HeapReleased  uint64
	HeapObjects   uint64
	StackInuse    uint64
	StackSys      uint64
	MSpanInuse    uint64
	MSpanSys      uint64
	MCacheInuse   uint64
	MCacheSys     uint64
	BuckHashSys   uint64
	GCSys         uint64
	OtherSys      uint64
	NextGC        uint64
	LastGC        uint64
	PauseTotalNs  uint64
	PauseNs       [256]uint64
	PauseEnd      [256]uint64
	NumGC         uint32
	NumForcedGC   uint32
	GCCPUFraction float64
	EnableGC      bool
	DebugGC       bool
	BySize        [61]struct {
		Size    uint32
		Mallocs uint64
		Frees   uint64
	}
}

// The collector's figures, by index: heapStat(statHeapSize) and so on.
func heapStat(which int) uint64

const (
	statHeapSize    = 0 // bytes the collector has for the heap
	statFreeBytes   = 1 // of those, free
	statUnmapped    = 2 // of those, returned to the system
	statTotalBytes  = 3 // bytes ever allocated
	statCollections = 4
	statForced      = 5 // collections runtime.GC started
)

// ReadMemStats fills m from the collector.
func ReadMemStats(m *MemStats) {
	heap := heapStat(statHeapSize)
	free := heapStat(statFreeBytes)
	*m = MemStats{}
	m.HeapSys = heap
	m.HeapIdle = free
	m.HeapReleased = heapStat(statUnmapped)
	m.HeapAlloc = heap - free
	m.HeapInuse = heap - free
	m.Alloc = m.HeapAlloc
	m.TotalAlloc = heapStat(statTotalBytes)
	m.Sys = heap
	m.NumGC = uint32(heapStat(statCollections))
	m.NumForcedGC = uint32(heapStat(statForced))
	m.NextGC = heap
	m.EnableGC = true
}
