#include "models/dense_linear.h"

#include "models/dense_kernels.h"

namespace equimol::models {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

/// y [rows, out] = x [rows, in] . wt [in, out] (+ bias), all contiguous float32.
torch::Tensor gemm(const torch::Tensor& x, const torch::Tensor& wt, const torch::Tensor& bias) {
  torch::Tensor y = torch::empty({x.size(0), wt.size(1)}, x.options());
  kernels::linear(x.data_ptr<float>(), x.size(0), x.size(1), wt.data_ptr<float>(),
                  bias.defined() ? bias.data_ptr<float>() : nullptr, wt.size(1), y.data_ptr<float>());
  return y;
}

struct DenseLinear : torch::autograd::Function<DenseLinear> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias) {
    const torch::Tensor xc = x.contiguous();
    const torch::Tensor wc = weight.contiguous();
    ctx->save_for_backward({xc, wc});
    return gemm(xc, wc.t().contiguous(), bias.contiguous());
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];       // [rows, in]
    const torch::Tensor& weight = saved[1];  // [out, in]
    const torch::Tensor dy = grad_outputs[0].contiguous();  // [rows, out]
    // dx = dy W and dW = dy^T x: the kernel's [in, out] weight operand is W itself, then x.
    const torch::Tensor dx = ctx->needs_input_grad(0) ? gemm(dy, weight, {}) : torch::Tensor();
    const torch::Tensor dw = ctx->needs_input_grad(1) ? gemm(dy.t().contiguous(), x, {}) : torch::Tensor();
    const torch::Tensor db = ctx->needs_input_grad(2) ? dy.sum(0) : torch::Tensor();
    return {dx, dw, db};
  }
};

}  // namespace

torch::Tensor dense_linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  // Function::apply needs defined inputs: no bias is a zero bias that asks for no gradient.
  return DenseLinear::apply(x, weight, bias.defined() ? bias : torch::zeros({weight.size(0)}, weight.options()));
}

std::vector<float> transposed_floats(const torch::Tensor& weight) { return flat_floats(weight.t()); }

std::vector<float> flat_floats(const torch::Tensor& tensor) {
  const torch::Tensor t = tensor.detach().to(torch::kFloat32).contiguous();
  return {t.data_ptr<float>(), t.data_ptr<float>() + t.numel()};
}

}  // namespace equimol::models
