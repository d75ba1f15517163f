#include <stdint.h>
#include <string.h>
typedef struct { const uint8_t *ptr; int64_t len; } GoString;
typedef struct { uint64_t tag, w0, w1; } GoAny;
int g2n_rt_main(int, char**, void (*)(uint32_t, void*), const uint8_t*, size_t);
void *g2n_scope_new(void);
void g2n_scope_put_string(void*, uint32_t, const uint8_t*, int64_t);
void g2n_scope_get_string(void*, uint32_t, GoString*);
void g2n_go_to_network(uint32_t, void*);
void g2n_fmt_printf(const uint8_t*, int64_t, const GoAny*, int64_t);
void g2n_fmt_println(const GoAny*, int64_t);
void g2n_exit(int64_t);
