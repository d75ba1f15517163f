#include "common.h"
static const char desc[] = "g2n-unit 1 print-hello-world\nentry 1 hello:string\n";
void g2n_unit_entry(uint32_t rp, void *scope) {
  GoString h; g2n_scope_get_string(scope, 0, &h);
  GoAny a[1] = {{4, (uint64_t)h.ptr, (uint64_t)h.len}};
  g2n_fmt_printf((const uint8_t*)"%s World!", 9, a, 1);
}
int main(int argc, char **argv) { return g2n_rt_main(argc, argv, g2n_unit_entry, (const uint8_t*)desc, sizeof desc - 1); }
