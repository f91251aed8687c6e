#include "calculator_factory.h"

#include "errors.h"
#include "lennard_jones.h"
#include "xtb_calculator.h"

namespace equimol {

std::unique_ptr<Calculator> make_calculator(const std::string& method, int xtb_threads) {
  if (method == "lj") return std::make_unique<LennardJones>();
  if (method != "gfn2" && method != "gfn1" && method != "gfnff") {
    throw InputError("unknown method '" + method + "' (expected gfn2, gfn1, gfnff or lj)");
  }
  XtbOptions options;
  options.method = parse_xtb_method(method);
  options.threads = xtb_threads;
  return std::make_unique<XtbCalculator>(options);
}

bool is_cluster_method(const std::string& method) { return method == "lj"; }

}  // namespace equimol
