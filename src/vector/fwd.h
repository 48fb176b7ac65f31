#pragma once

namespace floe::vector {

class Batch;
class Buffer;
class Schema;
class SelectionVector;
class Vector;
class VectorBuilder;
struct Field;

}  // namespace floe::vector
