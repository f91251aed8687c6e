#include "envs/registry.h"

#include <functional>
#include <map>
#include <stdexcept>

#include "chem/errors.h"
#include "envs/acrobot.h"
#include "envs/cartpole.h"
#include "envs/grid_world.h"
#include "envs/mountain_car.h"
#include "envs/pendulum.h"

namespace equimol::envs {

namespace {

using Factory = std::function<std::unique_ptr<Env>(const EnvOptions&)>;

template <typename E>
Factory factory() {
  return [](const EnvOptions& options) { return std::make_unique<E>(options); };
}

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> envs = {
      {"Acrobot-v1", factory<Acrobot>()},
      {"CartPole-v1", factory<CartPole>()},
      {"GridWorld-v0", factory<GridWorld>()},
      {"MountainCar-v0", factory<MountainCar>()},
      {"Pendulum-v1", factory<Pendulum>()},
  };
  return envs;
}

}  // namespace

std::unique_ptr<Env> make_env(const std::string& name, const EnvOptions& options) {
  const auto it = registry().find(name);
  if (it == registry().end()) {
    throw std::invalid_argument("unknown env '" + name + "' (known: " + comma_separated(env_names()) + ")");
  }
  return it->second(options);
}

std::vector<std::string> env_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.push_back(name);
  return names;
}

}  // namespace equimol::envs
