#include "common.h"
static const char desc[] = "g2n-unit 1 hello\nentry 0\nexit 0 print-hello-world 1 hello:string\n";
void g2n_unit_entry(uint32_t rp, void *scope) {
  GoAny a[1] = {{4, (uint64_t)"starting", 8}};
  g2n_fmt_println(a, 1);
  void *s = g2n_scope_new();
  g2n_scope_put_string(s, 0, (const uint8_t*)"Hello", 5);
  g2n_go_to_network(0, s);
}
int main(int argc, char **argv) { return g2n_rt_main(argc, argv, g2n_unit_entry, (const uint8_t*)desc, sizeof desc - 1); }
