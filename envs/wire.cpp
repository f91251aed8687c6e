#include "envs/wire.h"

#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace equimol::envs::wire {

namespace {

// Vectors of numbers go as their length and then their bytes in one copy.
template <typename T>
void write_vector(Writer& w, const std::vector<T>& values) {
  static_assert(std::is_trivially_copyable_v<T>);
  w.str(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)));
}

template <typename T>
void read_vector(Reader& r, std::vector<T>& out) {
  const std::string bytes = r.str();
  if (bytes.size() % sizeof(T) != 0) throw std::runtime_error("wire: vector bytes not a multiple of the element size");
  out.resize(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
}

}  // namespace

void Writer::str(const std::string& value) {
  i64(static_cast<std::int64_t>(value.size()));
  bytes_.append(value);
}

void Reader::raw(void* data, std::size_t size) {
  if (bytes_.size() - pos_ < size) throw std::runtime_error("wire: message ends early");
  std::memcpy(data, bytes_.data() + pos_, size);
  pos_ += size;
}

std::uint8_t Reader::u8() {
  std::uint8_t value = 0;
  raw(&value, sizeof value);
  return value;
}

std::int64_t Reader::i64() {
  std::int64_t value = 0;
  raw(&value, sizeof value);
  return value;
}

double Reader::f64() {
  double value = 0;
  raw(&value, sizeof value);
  return value;
}

std::string Reader::str() {
  const std::int64_t size = i64();
  if (size < 0 || static_cast<std::size_t>(size) > bytes_.size() - pos_) {
    throw std::runtime_error("wire: bad string length");
  }
  std::string value = bytes_.substr(pos_, static_cast<std::size_t>(size));
  pos_ += static_cast<std::size_t>(size);
  return value;
}

void write(Writer& w, const Observation& obs) {
  w.u8(static_cast<std::uint8_t>(obs.index()));
  if (const auto* box = std::get_if<std::vector<double>>(&obs)) {
    write_vector(w, *box);
    return;
  }
  const auto& graph = std::get<GraphObservation>(obs);
  write_vector(w, graph.atomic_numbers);
  write_vector(w, graph.positions_angstrom);
  write_vector(w, graph.node_features);
  write_vector(w, graph.globals);
}

void read(Reader& r, Observation& out) {
  const std::uint8_t kind = r.u8();
  if (kind == 0) {
    auto* box = std::get_if<std::vector<double>>(&out);
    if (box == nullptr) box = &out.emplace<std::vector<double>>();
    read_vector(r, *box);
    return;
  }
  if (kind != 1) throw std::runtime_error("wire: bad observation kind");
  auto* graph = std::get_if<GraphObservation>(&out);
  if (graph == nullptr) graph = &out.emplace<GraphObservation>();
  read_vector(r, graph->atomic_numbers);
  read_vector(r, graph->positions_angstrom);
  read_vector(r, graph->node_features);
  read_vector(r, graph->globals);
}

void write(Writer& w, const Action& action) {
  w.u8(static_cast<std::uint8_t>(action.index()));
  if (const auto* index = std::get_if<std::int64_t>(&action)) {
    w.i64(*index);
  } else {
    write_vector(w, std::get<std::vector<double>>(action));
  }
}

void read(Reader& r, Action& out) {
  const std::uint8_t kind = r.u8();
  if (kind == 0) {
    out = r.i64();
    return;
  }
  if (kind != 1) throw std::runtime_error("wire: bad action kind");
  auto* values = std::get_if<std::vector<double>>(&out);
  if (values == nullptr) values = &out.emplace<std::vector<double>>();
  read_vector(r, *values);
}

void write(Writer& w, const Info& info) {
  w.u8(info.episode.has_value() ? 1 : 0);
  if (info.episode) {
    w.f64(info.episode->episode_return);
    w.i64(info.episode->length);
  }
  w.i64(static_cast<std::int64_t>(info.values.size()));
  for (const auto& [key, value] : info.values) {
    w.str(key);
    w.f64(value);
  }
}

void read(Reader& r, Info& out) {
  out.episode.reset();
  if (r.u8() != 0) {
    EpisodeStats stats;
    stats.episode_return = r.f64();
    stats.length = r.i64();
    out.episode = stats;
  }
  out.values.clear();
  const std::int64_t n = r.i64();
  for (std::int64_t k = 0; k < n; ++k) {
    std::string key = r.str();
    out.values[std::move(key)] = r.f64();
  }
}

void write(Writer& w, const StepResult& result) {
  write(w, result.obs);
  w.f64(result.reward);
  w.u8(static_cast<std::uint8_t>(result.terminated + 2 * result.truncated));
  write(w, result.info);
}

void read(Reader& r, StepResult& out) {
  read(r, out.obs);
  out.reward = r.f64();
  const std::uint8_t flags = r.u8();
  out.terminated = (flags & 1) != 0;
  out.truncated = (flags & 2) != 0;
  read(r, out.info);
}

void write(Writer& w, const Space& space) {
  w.u8(static_cast<std::uint8_t>(space.index()));
  if (const auto* discrete = std::get_if<Discrete>(&space)) {
    w.i64(discrete->n);
  } else if (const auto* box = std::get_if<Box>(&space)) {
    write_vector(w, box->low);
    write_vector(w, box->high);
  } else {
    const auto& graph = std::get<GraphSpace>(space);
    w.i64(graph.max_atoms);
    write_vector(w, graph.elements);
    w.i64(graph.node_feature_dim);
    w.i64(graph.global_dim);
  }
}

void read(Reader& r, Space& out) {
  const std::uint8_t kind = r.u8();
  if (kind == 0) {
    out = Discrete{r.i64()};
  } else if (kind == 1) {
    Box box;
    read_vector(r, box.low);
    read_vector(r, box.high);
    out = std::move(box);
  } else if (kind == 2) {
    GraphSpace graph;
    graph.max_atoms = r.i64();
    read_vector(r, graph.elements);
    graph.node_feature_dim = r.i64();
    graph.global_dim = r.i64();
    out = std::move(graph);
  } else {
    throw std::runtime_error("wire: bad space kind");
  }
}

}  // namespace equimol::envs::wire
