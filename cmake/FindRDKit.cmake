# FindRDKit: Debian's librdkit-dev ships no CMake config, so locate headers and libraries by hand.
#
# Provides RDKit::RDKit, an interface target linking the RDKit libraries EquiMol uses.
# Result variables: RDKit_FOUND, RDKit_INCLUDE_DIR, RDKit_LIBRARIES.

find_path(RDKit_INCLUDE_DIR GraphMol/ROMol.h PATH_SUFFIXES rdkit)

set(_rdkit_components
  MolDraw2D Depictor FileParsers SmilesParse DistGeomHelpers DistGeometry ForceFieldHelpers ForceField
  Optimizer MolAlign Alignment MolTransforms SubstructMatch EigenSolvers Trajectory
  GraphMol CIPLabeler RDGeometryLib DataStructs RDGeneral)

set(RDKit_LIBRARIES)
foreach(_component IN LISTS _rdkit_components)
  find_library(RDKit_${_component}_LIBRARY NAMES RDKit${_component})
  if(RDKit_${_component}_LIBRARY)
    list(APPEND RDKit_LIBRARIES ${RDKit_${_component}_LIBRARY})
  else()
    list(APPEND _rdkit_missing ${_component})
  endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(RDKit
  REQUIRED_VARS RDKit_INCLUDE_DIR RDKit_LIBRARIES
  REASON_FAILURE_MESSAGE "missing RDKit libraries: ${_rdkit_missing} (install librdkit-dev)")

if(RDKit_FOUND AND NOT TARGET RDKit::RDKit)
  find_package(Boost REQUIRED)
  add_library(RDKit::RDKit INTERFACE IMPORTED)
  target_include_directories(RDKit::RDKit INTERFACE ${RDKit_INCLUDE_DIR})
  target_link_libraries(RDKit::RDKit INTERFACE ${RDKit_LIBRARIES} Boost::headers)
endif()
mark_as_advanced(RDKit_INCLUDE_DIR)
