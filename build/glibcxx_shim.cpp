// Why this file exists
// --------------------
// TorchSharp's native glue library, libLibTorchSharp.so (TorchSharp-cpu 0.107.0), was built with
// GCC 13. GCC 13's <iostream> makes every translation unit call std::ios_base_library_init(),
// which libstdc++ only exports under the symbol version GLIBCXX_3.4.32. Hosts with an older
// libstdc++ (Debian 12 ships GCC 12's, which stops at GLIBCXX_3.4.30) cannot load the library.
//
// The build (build/TorchSharpNativeFix.targets) marks that version reference as weak in the
// build-output copy of libLibTorchSharp.so and compiles this file into
// libexprun_glibcxx_shim.so next to it; ExperimentRunner.Torch.Native.NativeCompat dlopens the
// shim with RTLD_NOW | RTLD_GLOBAL before TorchSharp loads, so the one missing symbol
// (_ZSt21ios_base_library_initv) resolves here. In GCC 13 the function does nothing that GCC 12's
// libstdc++ does not already do when it is loaded, so an empty body is correct.
//
// Only used on Linux hosts whose libstdc++.so.6 lacks GLIBCXX_3.4.32; elsewhere it is never built.
namespace std { void ios_base_library_init() {} }
