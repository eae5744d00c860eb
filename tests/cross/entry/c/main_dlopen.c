/* Loads the fixture cdylib with dlopen: main_dlopen path/to/libfixture.so */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s libfixture.so\n", argv[0]);
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 2;
    }
    const char *(*report)(void) = (const char *(*)(void))dlsym(lib, "fixture_report");
    unsigned (*status)(void) = (unsigned (*)(void))dlsym(lib, "fixture_status");
    if (!report || !status) {
        fprintf(stderr, "dlsym: %s\n", dlerror());
        return 2;
    }
    puts(report());
    return status() == 0 ? 0 : 1;
}
