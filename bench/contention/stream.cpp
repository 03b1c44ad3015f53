// Memory: a multiply-add over two float arrays of KB kibibytes each, repeated until GB gibibytes have been read.
// Prints its wall seconds.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv)
{
    const long kib = argc > 1 ? atol(argv[1]) : 16384;
    const long gib = argc > 2 ? atol(argv[2]) : 40;
    const long n = kib * 1024 / 4;
    std::vector<float> a(n, 1.0f), b(n, 2.0f);
    const long passes = gib * 1024L * 1024 * 1024 / (n * 8);
    const auto start = std::chrono::steady_clock::now();
    for (long p = 0; p < passes; p++)
        for (long i = 0; i < n; i++) a[i] = a[i] * 0.999f + b[i];
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    printf("%.3f %f\n", seconds, a[n / 2]);
}
