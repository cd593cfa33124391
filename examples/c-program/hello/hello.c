#include <greet.h>
#include <stdio.h>

int main(int argc, char **argv) {
    char buf[256];
    greet(buf, sizeof buf, argc > 1 ? argv[1] : "store");
#ifdef LOUD
    for (char *p = buf; *p; ++p)
        if (*p >= 'a' && *p <= 'z') *p -= 'a' - 'A';
#endif
    puts(buf);
    return 0;
}
