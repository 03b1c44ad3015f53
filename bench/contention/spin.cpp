// Compute only: a register-bound loop that touches no memory. Prints its wall seconds.
#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv)
{
    const long n = argc > 1 ? atol(argv[1]) : 1000000000L;
    const auto start = std::chrono::steady_clock::now();
    unsigned long x = 1;
    for (long i = 0; i < n; i++)
    {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        x ^= x >> 17;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    printf("%.3f %lu\n", seconds, x & 1);
}
