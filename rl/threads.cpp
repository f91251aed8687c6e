#include "rl/threads.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

// OpenBLAS's setter, if an OpenBLAS is loaded (weak: null with another BLAS).
extern "C" void openblas_set_num_threads(int num_threads) __attribute__((weak));

namespace equimol::rl {

void set_torch_threads(int threads) {
  if (threads < 1) throw std::invalid_argument("torch threads must be >= 1, got " + std::to_string(threads));
  torch::set_num_threads(threads);
  if (openblas_set_num_threads != nullptr) openblas_set_num_threads(threads);
}

}  // namespace equimol::rl
