// SPDX-License-Identifier: EUPL-1.2
// Linux system calls that Swift's Glibc module does not show (declared there only under _GNU_SOURCE).
#ifndef SLUITSTEEN_CSYSTEM_H
#define SLUITSTEEN_CSYSTEM_H

/// Flushes the file system that holds the open file `fd` (Linux 2.6.39+, glibc 2.14+): a scoped `sync`.
extern int syncfs(int fd);

#endif
