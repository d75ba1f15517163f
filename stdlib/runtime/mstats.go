package runtime

// MemStats has Go's fields; g2n fills those the collector (bdwgc) counts,
// and Mallocs (the objects the runtime's allocation entry points handed out,
// counted per thread: crates/runtime/src/alloc_stats.rs), Frees (the objects
// allocated before the last collection that it did not keep) and
// HeapObjects. It leaves the others zero: the span, cache and stack figures
// (g2n has no spans; goroutine stacks are mapped outside the heap), BySize
// and the pause times.
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
	statMallocs     = 6 // objects allocated
	statFrees       = 7 // objects collections freed
)

// ReadMemStats fills m from the collector.
func ReadMemStats(m *MemStats) {
	// Read first: what the rest of this function might allocate belongs
	// to the next reading (testing.AllocsPerRun reads twice).
	mallocs := heapStat(statMallocs)
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
	m.Mallocs = mallocs
	m.Frees = heapStat(statFrees)
	if m.Frees > m.Mallocs {
		m.Frees = m.Mallocs
	}
	m.HeapObjects = m.Mallocs - m.Frees
}
