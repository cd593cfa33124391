#include "greet.h"

#include <stdio.h>

#ifndef GREETING
#define GREETING "Hello"
#endif

int greet(char *buf, unsigned long size, const char *name) {
    return snprintf(buf, size, "%s, %s!", GREETING, name);
}
