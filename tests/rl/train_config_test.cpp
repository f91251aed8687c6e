// TrainConfig JSON: round trip, partial merges, and one clear error per bad input.
#include "rl/train_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace equimol::rl {
namespace {

TEST(rl_TrainConfig, CartPoleDefaultsAreTheZooTunedValues) {
  const TrainConfig c = default_train_config("CartPole-v1");
  EXPECT_EQ(c.ppo.num_envs, 8);
  EXPECT_EQ(c.ppo.num_steps, 32);
  EXPECT_EQ(c.ppo.minibatch_size(), 256);
  EXPECT_EQ(c.ppo.num_epochs, 20);
  EXPECT_EQ(c.ppo.gamma, 0.98);
  EXPECT_EQ(c.ppo.gae_lambda, 0.8);
  EXPECT_EQ(c.ppo.learning_rate, 1e-3);
  EXPECT_TRUE(c.ppo.anneal_lr);
  EXPECT_TRUE(c.ppo.anneal_clip_range);
  EXPECT_EQ(c.ppo.ent_coef, 0.0);
  EXPECT_EQ(default_train_config("Pendulum-v1").ppo.num_steps, 2048);  // SB3 defaults elsewhere
  EXPECT_EQ(c.ppo.reward_scale, 1.0);
}

TEST(rl_TrainConfig, DesignDefaultsScaleTheRewards) {
  const TrainConfig c = default_train_config("design");
  EXPECT_EQ(c.ppo.learning_rate, 1e-3);
  EXPECT_EQ(c.ppo.reward_scale, 0.1);
  EXPECT_EQ(default_train_config("pes").ppo.reward_scale, 1.0);
}

TEST(rl_TrainConfig, RoundTripsAndMergesPartially) {
  TrainConfig c = default_train_config("Acrobot-v1");
  c.seed = 9;
  c.ppo.target_kl = 0.02;
  c.ppo.env_workers = "processes";
  c.agent_options = {{"hidden_sizes", {32, 32}}};
  TrainConfig back = default_train_config("CartPole-v1");
  merge(back, to_json(c), "test");
  EXPECT_EQ(to_json(back), to_json(c));

  merge(back, nlohmann::json{{"ppo", {{"num_epochs", 3}, {"target_kl", nullptr}}}}, "test");
  EXPECT_EQ(back.ppo.num_epochs, 3);
  EXPECT_FALSE(back.ppo.target_kl.has_value());
  EXPECT_EQ(back.ppo.num_envs, 16);  // untouched
  EXPECT_EQ(back.ppo.env_workers, "processes");
  EXPECT_EQ(default_train_config("CartPole-v1").ppo.env_workers, "threads");
  back.ppo.env_workers = "forks";
  EXPECT_THROW(check(back.ppo), std::invalid_argument);
}

TEST(rl_TrainConfig, FromJsonStartsFromTheEnvsDefaults) {
  const TrainConfig acrobot = config_from_json({{"env", "Acrobot-v1"}, {"seed", 2}}, "f.json");
  EXPECT_EQ(acrobot.env, "Acrobot-v1");
  EXPECT_EQ(acrobot.ppo.num_envs, 16);  // Acrobot's defaults, not CartPole's
  EXPECT_EQ(acrobot.seed, 2u);
  const TrainConfig overridden = config_from_json({{"env", "Acrobot-v1"}}, "f.json", "CartPole-v1");
  EXPECT_EQ(overridden.env, "CartPole-v1");
  EXPECT_EQ(overridden.ppo.num_envs, 8);
  EXPECT_THROW(config_from_json({{"env", 3}}, "f.json"), std::invalid_argument);
}

TEST(rl_TrainConfig, RejectsUnknownKeysWrongTypesAndBadFiles) {
  TrainConfig c;
  EXPECT_THROW(merge(c, {{"sed", 1}}, "f.json"), std::invalid_argument);
  EXPECT_THROW(merge(c, {{"ppo", {{"lr", 1}}}}, "f.json"), std::invalid_argument);
  EXPECT_THROW(merge(c, {{"ppo", {{"gamma", "high"}}}}, "f.json"), std::invalid_argument);
  EXPECT_THROW(merge(c, {{"total_steps", 0}}, "f.json"), std::invalid_argument);
  EXPECT_THROW(merge(c, nlohmann::json::array(), "f.json"), std::invalid_argument);
  try {
    merge(c, {{"ppo", {{"gamma", "high"}}}}, "f.json");
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("gamma"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("f.json"), std::string::npos);
  }
  EXPECT_THROW(read_json_file("/nonexistent/config.json"), std::invalid_argument);
  const auto path = std::filesystem::temp_directory_path() / ("equimol_bad_config_" + std::to_string(getpid()) + ".json");
  std::ofstream(path) << "{\"seed\": ";
  EXPECT_THROW(read_json_file(path), std::invalid_argument);
  std::filesystem::remove(path);
}

TEST(rl_PpoOptions, CheckNamesTheBadValue) {
  PpoOptions o = ppo_defaults("CartPole-v1");
  EXPECT_NO_THROW(check(o));
  o.clip_range = -0.1;
  try {
    check(o);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("clip_range = -0.1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace equimol::rl
