/* Linked with a plain `cc main_static.c libfixture.a` (no --whole-archive). */
#include <stdio.h>

extern const char *fixture_report(void);
extern unsigned fixture_status(void);

int main(void) {
    puts(fixture_report());
    return fixture_status() == 0 ? 0 : 1;
}
