// RecordingCalculator: another calculator, keeping every structure it computes with its energy and
// forces, for a model to learn from exactly what a search has paid for (chem/surrogate_surface.h).
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "calculator.h"

namespace equimol {

class RecordingCalculator final : public Calculator {
 public:
  struct Record {
    Atoms atoms;
    double energy;    ///< the inner calculator's unit
    Positions forces;
  };

  explicit RecordingCalculator(std::unique_ptr<Calculator> inner) : inner_(std::move(inner)) {}

  std::string name() const override { return inner_->name(); }
  Properties implemented() const override { return inner_->implemented(); }
  std::string energy_unit() const override { return inner_->energy_unit(); }

  /// The calculations with forces since the last take(), oldest first (failed ones are not kept).
  std::vector<Record> take() { return std::exchange(records_, {}); }

 protected:
  Results compute(const Atoms& atoms, Properties properties) override {
    Results r = inner_->calculate(atoms, properties);
    if (r.ok && r.computed.has(Property::kForces)) records_.push_back({atoms, r.energy, r.forces});
    return r;
  }
  bool forget_history() override { return inner_->forget(); }

 private:
  std::unique_ptr<Calculator> inner_;
  std::vector<Record> records_;
};

}  // namespace equimol
